import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snapshotTarball } from '../../src/archive/snapshotTarball.js';

const entry = (path: string): { path: string; mode: string; type: 'blob'; bytes: Uint8Array } => ({ path, mode: '100644', type: 'blob', bytes: Buffer.from(path) });

test('snapshotTarball gives the same bytes whatever order the entries come in', async () => {
  const entries = [entry('b'), entry('a.txt'), { path: 'a', mode: '040000', type: 'tree' as const }, entry('a/x')];
  const one = await snapshotTarball({ folder: 'w', time: 1_700_000_000, entries });
  const two = await snapshotTarball({ folder: 'w', time: 1_700_000_000, entries: [...entries].reverse() });
  assert.deepEqual(one.bytes, two.bytes);
  assert.deepEqual(one.sha256, two.sha256);
  const later = await snapshotTarball({ folder: 'w', time: 1_700_000_001, entries });
  assert.notDeepEqual(later.bytes, one.bytes, 'the mtime is part of the archive');
});

test('snapshotTarball refuses names that would escape the top folder', async () => {
  for (const path of ['..', 'a/../../etc', '.', 'a//b', '']) {
    await assert.rejects(snapshotTarball({ folder: 'w', time: 0, entries: [entry(path)] }), { code: 'SNAPSHOT_UNSAFE_PATH' }, path);
  }
  await assert.rejects(snapshotTarball({ folder: '..', time: 0, entries: [] }), { code: 'SNAPSHOT_UNSAFE_PATH' });
});
