// buildSnapshot over enough branches to open the pack reader and start the
// PKGBUILD reader threads: every record equals the one indexBranch makes
// through isomorphic-git and printSrcinfo on this thread, on a repository
// repacked by native git with delta chains across branches.

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { createSyntheticCatalog } from '../../scripts/lib/syntheticCatalog.js';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { indexBranch } from '../../src/catalog/indexBranch.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { readRepositoryRefs } from '../../src/git/readRepositoryRefs.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

test('a whole-catalog index reads the same records as isomorphic-git does, branch by branch', { timeout: 300_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-build-packs');
  const gitdir = path.join(root, 'catalog.git');
  await createSyntheticCatalog(gitdir, 260);
  await git(['--git-dir', gitdir, 'repack', '-a', '-d', '-f', '--depth=50', '--window=50', '--quiet']);
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: path.join(root, 'cache') });

  const snapshot = await buildSnapshot({ repo, gitUrl: 'https://catalog.invalid/c.git', now: () => new Date(0) });

  const refs = await readRepositoryRefs(repo);
  const workers = refs.branches.filter((ref) => ref.name !== 'master');
  assert.equal(snapshot.branches.size, 260);
  assert.equal(snapshot.workers.size, 260, 'every synthetic branch validates');
  for (const ref of workers) {
    assert.deepEqual(snapshot.branches.get(ref.name), await indexBranch(repo, ref), ref.name);
  }
});
