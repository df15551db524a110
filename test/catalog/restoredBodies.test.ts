import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestoredBody, RestoredFile, RestoredFileBody } from '../../src/catalog/restoredBodies.js';

const OID = '990f17af0ea4a087193a21eb6b4663fe07d43725';
const WHEN = new Date('2025-01-01T00:00:00Z');
// A chunk's blob part sits somewhere inside the whole blob buffer: offsets count from the chunk's start.
const whole = Buffer.from('xxxxPKGBUILD bytes{"id":"a"}yy');
const chunk = whole.subarray(4, whole.length - 2);

test('restored files and bodies read their own bytes of the chunk, each time as a view of the one buffer', () => {
  const file = new RestoredFile({ blobs: chunk, offset: 0, length: 14 }, OID);
  const body = new RestoredBody({ blobs: chunk, offset: 14, length: 10 }, { etag: '"n11baHTkAn4A533kru6iEi"', contentType: 'application/json; charset=utf-8', lastModified: WHEN });
  assert.equal(file.bytes.toString(), 'PKGBUILD bytes');
  assert.equal(body.body.toString(), '{"id":"a"}');
  assert.equal(body.body.buffer, whole.buffer, 'no copy');
  assert.equal(body.etag, '"n11baHTkAn4A533kru6iEi"');
  assert.deepEqual(JSON.parse(JSON.stringify(file)), { bytes: { type: 'Buffer', data: [...Buffer.from('PKGBUILD bytes')] }, oid: OID }, 'serialised as a plain file');
});

test('a served file\'s ETag is its blob oid in quotes, unless the saved one is something else', () => {
  const place = { blobs: chunk, offset: 0, length: 14 };
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
