// branchIndexerPool: records made on worker threads are exactly
// indexBranchFiles' records on this thread — for every fixture branch, good
// and broken, and for every PKGBUILD of the reader's corpus (decided,
// undecidable, syntax errors) — whatever order the threads finish in; a
// branch the threads read from shared packs is the record indexBranch makes,
// and one whose objects are not in the packs is left to the caller; a
// closed pool refuses work.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readWorkingCopy } from '../../scripts/lib/readWorkingCopy.js';
import { createSyntheticCatalog } from '../../scripts/lib/syntheticCatalog.js';
import { createBranchIndexerPool } from '../../src/catalog/branchIndexerPool.js';
import { indexBranch, indexBranchFiles } from '../../src/catalog/indexBranch.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { readPackFiles } from '../../src/git/readPackFiles.js';
import { readRepositoryRefs } from '../../src/git/readRepositoryRefs.js';
import type { BranchFiles, BranchRef } from '../../src/git/types.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

function folders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => path.join(dir, entry.name)).sort();
}

/** A branch holding only `pkgbuild` and a .SRCINFO it is compared with, so the PKGBUILD reader runs. */
function pkgbuildBranch(pkgbuild: string): BranchFiles {
  const files = new Map<string, Uint8Array>([
    ['PKGBUILD', new Uint8Array(Buffer.from(pkgbuild))],
    ['.SRCINFO', new Uint8Array(Buffer.from('pkgbase = demo\n\tpkgver = 1\n\tpkgrel = 1\n\tarch = any\n\npkgname = demo\n'))],
  ]);
  const entries = [...files.keys()].sort().map((name, index) => ({ path: name, mode: '100644', type: 'blob' as const, oid: String(index).repeat(40) }));
  return {
    commit: { oid: 'c'.repeat(40), treeOid: 't'.repeat(40), time: 1, author: { name: 'a', email: 'a@b' }, message: 'm\n' },
    entries,
    tree: entries.map((entry) => ({ ...entry, size: files.get(entry.path)!.byteLength })),
    treeTruncated: false,
    files,
  };
}

async function cases(): Promise<Array<{ ref: BranchRef; files: BranchFiles }>> {
  const all: Array<{ ref: BranchRef; files: BranchFiles }> = [];
  for (const dir of [...folders(path.join(FIXTURES, 'catalog')), ...folders(path.join(FIXTURES, 'broken'))]) {
    const copy = await readWorkingCopy(dir);
    // Bytes as readBranchFiles hands them out (plain Uint8Arrays, as structured clone keeps them), not fs Buffers.
    const files = new Map([...copy.files].map(([name, bytes]) => [name, new Uint8Array(bytes)] as const));
    all.push({ ref: { name: path.basename(dir), oid: 'a'.repeat(40) }, files: { ...copy, files } });
  }
  const pkgbuilds = folders(path.join(FIXTURES, 'pkgbuilds')).map((dir) => readFileSync(path.join(dir, 'PKGBUILD'), 'utf8'));
  for (const text of [...pkgbuilds, 'pkgname=(broken\n', 'pkgname=x\npkgver=1\nrm -rf /\n']) {
    all.push({ ref: { name: 'demo', oid: 'b'.repeat(40) }, files: pkgbuildBranch(text) });
  }
  return all;
}

test('every fixture branch and corpus PKGBUILD indexes the same on the pool as on this thread', { timeout: 120_000 }, async (t) => {
  const pool = createBranchIndexerPool({ threads: 2 });
  t.after(() => pool.close());
  const all = await cases();
  assert.ok(all.length > 80);
  const pooled = await Promise.all(all.map(({ ref, files }) => pool.index(ref, files)));
  let served = 0;
  let rejected = 0;
  const codes = new Set<string>();
  for (let index = 0; index < all.length; index += 1) {
    const { ref, files } = all[index]!;
    assert.deepEqual(pooled[index], await indexBranchFiles(ref, files), ref.name);
    if (pooled[index]!.workers.length > 0) served += 1;
    else rejected += 1;
    for (const problem of pooled[index]!.problems) codes.add(problem.code);
  }
  assert.ok(served >= 5 && rejected >= 5, 'good and broken branches alike');
  assert.ok(codes.size >= 5, 'several kinds of problems crossed the thread boundary');
});

test('branches read on the pool from shared packs are the records indexBranch makes; a loose commit is left to the caller', { timeout: 120_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-pool-packs');
  const gitdir = path.join(root, 'catalog.git');
  await createSyntheticCatalog(gitdir, 12);
  // So few objects fast-import writes loose; a served repository is packed.
  await git(['--git-dir', gitdir, 'repack', '-a', '-d', '--quiet']);
  // A commit written loose, after the pack: the threads' readers cannot vouch for it.
  const tree = (await git(['--git-dir', gitdir, 'rev-parse', 'llm-worker-rbee-cpu-b00003^{tree}'])).trim();
  const loose = (await git(['--git-dir', gitdir, 'commit-tree', tree, '-m', 'loose'], { env: { GIT_AUTHOR_DATE: '@1700000000 +0000', GIT_COMMITTER_DATE: '@1700000000 +0000' } })).trim();
  await git(['--git-dir', gitdir, 'update-ref', 'refs/heads/llm-worker-rbee-cpu-loose', loose]);
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: path.join(root, 'cache') });
  const packs = await readPackFiles({ fs: repo.fs, gitdir, shared: true });
  assert.ok(packs.length > 0 && packs.every((pack) => pack.data.buffer instanceof SharedArrayBuffer));
  const pool = createBranchIndexerPool({ threads: 2, packs });
  t.after(() => pool.close());

  const refs = (await readRepositoryRefs(repo)).branches.filter((ref) => ref.name !== 'master');
  const pooled = await Promise.all(refs.map((ref, index) => pool.read(ref, index % 2)));
  for (const [index, ref] of refs.entries()) {
    if (ref.oid === loose) assert.equal(pooled[index], undefined, 'the loose commit');
    else assert.deepEqual(pooled[index], await indexBranch(repo, ref), ref.name);
  }
  assert.equal(pooled.filter((record) => record?.workers.length === 1).length, 12);
  // A lane past the pool's threads still reads, on another thread.
  assert.deepEqual(await pool.read(refs[0]!, 7), pooled[0]);
});

test('a pool without packs reads nothing itself', { timeout: 60_000 }, async (t) => {
  const pool = createBranchIndexerPool({ threads: 1 });
  t.after(() => pool.close());
  assert.equal(await pool.read({ name: 'demo', oid: 'a'.repeat(40) }, 0), undefined);
});

test('a closed pool refuses new work', { timeout: 60_000 }, async () => {
  const pool = createBranchIndexerPool({ threads: 1 });
  const [first] = await cases();
  assert.equal((await pool.index(first!.ref, first!.files)).name, first!.ref.name);
  await pool.close();
  await assert.rejects(pool.index(first!.ref, first!.files));
});
