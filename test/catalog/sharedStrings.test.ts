// sharedStrings on records indexed from the fixture catalog and copied the
// way an indexer thread's answer is (structured clone): the values stay
// exactly the same, and equal strings become one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BranchRecord } from '../../src/catalog/branchRecord.js';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { shareBranchStrings } from '../../src/catalog/sharedStrings.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createRepositoryFromFolders } from '../../src/git/createRepositoryFromFolders.js';
import { makeTempDir } from '../helpers/tempDir.js';

const FIXTURE_CATALOG = fileURLToPath(new URL('../../fixtures/catalog/', import.meta.url));

async function servedRecords(t: Parameters<typeof makeTempDir>[0]): Promise<BranchRecord[]> {
  const root = await makeTempDir(t, 'rbee-shared-strings');
  const gitdir = `${root}/catalog.git`;
  await createRepositoryFromFolders({ sourceDir: FIXTURE_CATALOG, gitdir, defaultBranch: 'master' });
  const snapshot = await buildSnapshot({ repo: await openCatalogRepository({ source: gitdir, cacheDir: root }), gitUrl: 'https://example.invalid/catalog.git' });
  const records = [...snapshot.branches.values()].filter((record) => record.workers.length > 0);
  assert.ok(records.length >= 2, 'the small catalog serves several workers');
  return records;
}

test('a shared record holds exactly the values of the one it was made from', async (t) => {
  for (const record of await servedRecords(t)) {
    const copy = structuredClone(record);
    const shared = shareBranchStrings(copy);
    assert.deepEqual(shared, record);
    assert.deepEqual(Object.keys(shared.workers[0]!), Object.keys(record.workers[0]!), 'keys in their order');
    assert.deepEqual(Object.keys(shared.workers[0]!.metadata), Object.keys(record.workers[0]!.metadata));
    assert.equal(shared.workers[0]!.files, copy.workers[0]!.files, 'file bytes are kept, not copied');
    assert.ok(Object.isFrozen(shared.workers[0]!.srcinfo.pkgbase.entries), 'the .SRCINFO stays frozen, as parsed');
  }
});

test('equal strings become one copy: the same records take much less heap once shared', async (t) => {
  // JavaScript cannot tell two equal strings apart, so the heap is the witness:
  // structured clone (the indexer threads' answers) copies every string of a record.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const records = await servedRecords(t);
  const heapOf = (make: (record: BranchRecord) => BranchRecord): number => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = Array.from({ length: 2000 }, (_, n) => make(records[n % records.length]!));
    gc();
    const used = process.memoryUsage().heapUsed - before;
    assert.equal(kept.length, 2000);
    return used;
  };
  const cloned = heapOf((record) => structuredClone(record));
  const shared = heapOf((record) => shareBranchStrings(structuredClone(record)));
  assert.ok(shared < cloned * 0.8, `2,000 records: ${(cloned / 1e6).toFixed(1)} MB cloned, ${(shared / 1e6).toFixed(1)} MB shared`);
});

test('a __proto__ key in metadata stays a plain own key', () => {
  const metadata = JSON.parse('{"name":"x","__proto__":{"polluted":true}}') as Record<string, unknown>;
  const record = { name: 'b', oid: 'o', commit: undefined, problems: [], workers: [{ id: 'b', branch: 'b', commit: { oid: 'o', treeOid: 't', time: 0, author: { name: 'a', email: 'e' }, message: 'm' }, version: '1-1', metadata, srcinfo: { pkgbase: { name: 'b', line: 1, entries: [] }, packages: [] }, fields: new Map(), files: new Map(), problems: [] }] } as unknown as BranchRecord;
  const shared = shareBranchStrings(record).workers[0]!.metadata as unknown as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(shared), Object.prototype);
  assert.deepEqual(Object.keys(shared), ['name', '__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
