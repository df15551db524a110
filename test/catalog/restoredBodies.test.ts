import assert from 'node:assert/strict';
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { OpenSavedFile } from '../../src/catalog/openSavedFile.js';
import { RestoredBody, RestoredFile, RestoredFileBody } from '../../src/catalog/restoredBodies.js';
import { SavedBlobPart } from '../../src/catalog/savedBlobPart.js';
import { SavedIndexError } from '../../src/catalog/savedIndexError.js';
import { makeTempDir } from '../helpers/tempDir.js';

const OID = '990f17af0ea4a087193a21eb6b4663fe07d43725';
const WHEN = new Date('2025-01-01T00:00:00Z');
// The blob part sits inside the file, and a chunk's range inside the part: offsets count from the chunk's start.
const FILE_BYTES = 'headerxxxxPKGBUILD bytes{"id":"a"}yydetails';

async function chunkOfFile(t: TestContext, bytes = FILE_BYTES): Promise<SavedBlobPart> {
  const file = path.join(await makeTempDir(t, 'rbee-restored'), 'saved.idx');
  await writeFile(file, bytes);
  const handle = await open(file, 'r');
  t.after(() => handle.close());
  const blobPart = new SavedBlobPart(new OpenSavedFile(handle), 'header'.length, 'xxxxPKGBUILD bytes{"id":"a"}yy'.length);
  return blobPart.part(4, blobPart.length - 6);
}

test('restored files and bodies read their own bytes of the chunk from the file, each time afresh', async (t) => {
  const chunk = await chunkOfFile(t);
  const file = new RestoredFile({ blobs: chunk, offset: 0, length: 14 }, OID);
  const body = new RestoredBody({ blobs: chunk, offset: 14, length: 10 }, { etag: '"n11baHTkAn4A533kru6iEi"', contentType: 'application/json; charset=utf-8', lastModified: WHEN });
  assert.equal(file.bytes.toString(), 'PKGBUILD bytes');
  assert.equal(body.body.toString(), '{"id":"a"}');
  assert.notEqual(body.body, body.body, 'a buffer of its own per read: a caller may keep or change it');
  assert.equal(body.etag, '"n11baHTkAn4A533kru6iEi"');
  assert.deepEqual(JSON.parse(JSON.stringify(file)), { bytes: { type: 'Buffer', data: [...Buffer.from('PKGBUILD bytes')] }, oid: OID }, 'serialised as a plain file');
});

test('a served file\'s ETag is its blob oid in quotes, unless the saved one is something else', async (t) => {
  const place = { blobs: await chunkOfFile(t), offset: 0, length: 14 };
  const served = { contentType: 'text/plain; charset=utf-8', lastModified: WHEN };
  const derived = new RestoredFileBody(place, OID, { ...served, etag: `"${OID}"` });
  assert.equal(derived.etag, `"${OID}"`);
  assert.equal(derived.body.toString(), 'PKGBUILD bytes');
  assert.equal(derived.contentType, served.contentType);
  assert.equal(derived.lastModified, WHEN);
  for (const etag of [`"${OID.slice(1)}x"`, `W/"${OID}"`, `"${OID}`, '"other"']) {
    assert.equal(new RestoredFileBody(place, OID, { ...served, etag }).etag, etag, `${etag} is kept as saved`);
  }
});

test('a range never reaches past its part, and a file cut short is a SAVED_INDEX_MALFORMED error, not short bytes', async (t) => {
  const chunk = await chunkOfFile(t);
  assert.throws(() => chunk.part(20, 5), RangeError);
  assert.throws(() => chunk.part(-1, 2), RangeError);
  // A part that claims more than the file holds (the load checks sizes against the file; this is what a read meets regardless).
  const cut = await chunkOfFile(t, FILE_BYTES.slice(0, 'headerxxxxPKGBUILD'.length));
  assert.throws(() => new RestoredFile({ blobs: cut, offset: 0, length: 14 }, OID).bytes, (error: unknown) => error instanceof SavedIndexError && error.code === 'SAVED_INDEX_MALFORMED');
});
