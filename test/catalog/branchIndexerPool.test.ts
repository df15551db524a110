// branchIndexerPool: records made on worker threads are exactly
// indexBranchFiles' records on this thread — for every fixture branch, good
// and broken, and for every PKGBUILD of the reader's corpus (decided,
// undecidable, syntax errors) — whatever order the threads finish in; a
// closed pool refuses work.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readWorkingCopy } from '../../scripts/lib/readWorkingCopy.js';
import { createBranchIndexerPool } from '../../src/catalog/branchIndexerPool.js';
import { indexBranchFiles } from '../../src/catalog/indexBranch.js';
import type { BranchFiles, BranchRef } from '../../src/git/types.js';

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

test('a closed pool refuses new work', { timeout: 60_000 }, async () => {
  const pool = createBranchIndexerPool({ threads: 1 });
  const [first] = await cases();
  assert.equal((await pool.index(first!.ref, first!.files)).name, first!.ref.name);
  await pool.close();
  await assert.rejects(pool.index(first!.ref, first!.files));
});
