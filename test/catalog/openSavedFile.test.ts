import assert from 'node:assert/strict';
import { readlinkSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { OpenSavedFile } from '../../src/catalog/openSavedFile.js';
import { SavedBlobPart } from '../../src/catalog/savedBlobPart.js';
import { SavedIndexError } from '../../src/catalog/savedIndexError.js';
import { fullCollection } from '../../src/memory/fullCollection.js';
import { makeTempDir } from '../helpers/tempDir.js';

/** What descriptor `fd` of this process names now; undefined once it is closed. */
function openedAs(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

// A restarted service reads a loaded file for as long as anything restored from it is served; once
// nothing is (a read-back replaced it), its descriptor must go, or every replaced 120 MB file stays on disk.
test('a saved file\'s descriptor stays open while something reads through it and is closed once nothing can', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  const file = path.join(await makeTempDir(t, 'rbee-open-saved'), 'saved.idx');
  await writeFile(file, 'header:blob bytes');
  const handle = await open(file, 'r');
  const { fd } = handle;
  let part: SavedBlobPart | undefined = new SavedBlobPart(new OpenSavedFile(handle), 'header:'.length, 'blob bytes'.length);
  const collect = fullCollection();
  collect();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(openedAs(fd), file, 'open while a part can read it');
  assert.equal(part.read(0, 4).toString(), 'blob');

  part = undefined;
  const deadline = Date.now() + 5000;
  while (openedAs(fd) === file && Date.now() < deadline) {
    collect();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.notEqual(openedAs(fd), file, 'closed once unreachable');
});

test('the first read that finds the file cut short is reported once, and every such read still throws', async (t) => {
  const file = path.join(await makeTempDir(t, 'rbee-open-saved'), 'saved.idx');
  await writeFile(file, 'header:blob');
  const handle = await open(file, 'r');
  t.after(() => handle.close());
  const reported: Error[] = [];
  const opened = new OpenSavedFile(handle, (error) => reported.push(error));
  const part = new SavedBlobPart(opened, 'header:'.length, 'blob bytes'.length);
  assert.equal(part.read(0, 4).toString(), 'blob');
  assert.equal(reported.length, 0);
  for (let read = 0; read < 2; read += 1) assert.throws(() => part.read(0, 10), { code: 'SAVED_INDEX_MALFORMED' });
  // The reads a save makes without holding the event loop up end the same way.
  await assert.rejects(opened.readInto(Buffer.alloc(10), 'header:'.length, 'blob part', () => new SavedIndexError('SAVED_INDEX_MALFORMED', 'ended')), { code: 'SAVED_INDEX_MALFORMED', message: 'ended' });
  assert.equal(reported.length, 1);
  assert.ok(reported[0] instanceof SavedIndexError);
  assert.equal(reported[0].code, 'SAVED_INDEX_MALFORMED');
});
