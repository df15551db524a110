// The cold index's native-git reference reads exactly the served files of
// every worker branch of a real synthetic catalog, and its batch parser
// walks git's own output.

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { SERVED_FILES } from '../../../src/catalog/indexBranch.js';
import { nativeRead, parseBatchOutput } from '../../../scripts/bench/nativeRead.js';
import { createSyntheticCatalog, syntheticWorkerFiles, syntheticWorkerId } from '../../../scripts/lib/syntheticCatalog.js';
import { makeTempDir } from '../../helpers/tempDir.js';

test('nativeRead: every served file of every worker branch, the default branch left out', async (t) => {
  const gitdir = path.join(await makeTempDir(t, 'bench-native'), 'catalog.git');
  await createSyntheticCatalog(gitdir, 5);
  const result = await nativeRead({ gitdir, timeoutMs: 20_000 });
  let bytes = 0;
  for (let index = 0; index < 5; index += 1) {
    const files = syntheticWorkerFiles(syntheticWorkerId(index));
    for (const name of SERVED_FILES) bytes += files.get(name)!.byteLength;
  }
  assert.equal(result.branches, 5);
  assert.equal(result.missing, 0);
  assert.equal(result.blobs, 5 * SERVED_FILES.length);
  assert.equal(result.bytes, bytes);
  assert.ok(result.ms > 0);
});

test('parseBatchOutput: objects, missing names and bytes that look like headers', () => {
  const body = Buffer.from('abc missing\nline two\n');
  const output = Buffer.concat([
    Buffer.from(`${'a'.repeat(40)} blob ${body.length}\n`), body, Buffer.from('\n'),
    Buffer.from('deadbeef:README.md missing\n'),
    Buffer.from(`${'b'.repeat(40)} blob 0\n\n`),
  ]);
  assert.deepEqual(parseBatchOutput(output), { blobs: 2, bytes: body.length, missing: 1 });
});

test('parseBatchOutput: a truncated object is an error, not a short count', () => {
  assert.throws(() => parseBatchOutput(Buffer.from(`${'a'.repeat(40)} blob 10\nshort\n`)), /bad cat-file header/);
});
