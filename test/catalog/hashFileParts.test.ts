import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { hashFileParts } from '../../src/catalog/hashFileParts.js';
import { makeTempDir } from '../helpers/tempDir.js';

test('the worker thread hashes byte ranges of an open file exactly as createHash does', async (t) => {
  const file = path.join(await makeTempDir(t, 'rbee-hash'), 'parts.bin');
  // Larger than the worker's 8 MB read slice, so ranges span several reads.
  const bytes = randomBytes(9 * 1024 * 1024 + 123);
  writeFileSync(file, bytes);
  const parts = [{ position: 0, length: 17 }, { position: 17, length: bytes.length - 17 - 5 }, { position: bytes.length - 5, length: 0 }];
  const handle = await open(file, 'r');
  t.after(() => handle.close());
  const digests = await hashFileParts(handle.fd, parts);
  assert.deepEqual(digests, parts.map(({ position, length }) => createHash('sha256').update(bytes.subarray(position, position + length)).digest('hex')));
});

test('a range past the end of the file rejects instead of hashing less', async (t) => {
  const file = path.join(await makeTempDir(t, 'rbee-hash'), 'short.bin');
  writeFileSync(file, Buffer.alloc(100));
  const handle = await open(file, 'r');
  t.after(() => handle.close());
  await assert.rejects(hashFileParts(handle.fd, [{ position: 50, length: 100 }]));
});
