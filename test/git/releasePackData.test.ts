// releasePackData on a real packed repository: isomorphic-git's cache stops
// holding the pack's bytes, and every read after it — or already under way —
// still finds the same objects.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { readBranchFiles } from '../../src/git/readBranchFiles.js';
import { readRepositoryRefs } from '../../src/git/readRepositoryRefs.js';
import { releasePackData } from '../../src/git/releasePackData.js';
import { buildSmallCatalog } from '../helpers/folderTree.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

const NAMES = ['PKGBUILD', '.SRCINFO', 'metadata.json', 'README.md'];

/** The pack bytes each cached pack index holds right now (a Buffer, or something else once released). */
function cachedPacks(cache: object): unknown[] {
  const key = Object.getOwnPropertySymbols(cache).find((symbol) => symbol.description === 'PackfileCache');
  assert.ok(key, 'isomorphic-git keeps its pack cache under Symbol(PackfileCache)');
  return [...(cache as Record<symbol, Map<string, unknown>>)[key]!.values()];
}

test('the cached pack is let go and read again when needed; reads under way are not disturbed', async (t) => {
  const root = await makeTempDir(t, 'rbee-release-packs');
  const { gitdir } = await buildSmallCatalog(root);
  await git(['--git-dir', gitdir, 'repack', '-a', '-d', '--quiet']);
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: root });
  const branches = (await readRepositoryRefs(repo)).branches;
  assert.ok(branches.length >= 2);
  const read = async (oid: string) => (await readBranchFiles(repo, { commitOid: oid, names: NAMES })).files;

  const before = await Promise.all(branches.map((ref) => read(ref.oid)));
  const indexes = (await Promise.all(cachedPacks(repo.cache))) as Array<{ pack: unknown }>;
  assert.equal(indexes.length, 1);
  assert.ok(Buffer.isBuffer(await indexes[0]!.pack), 'the whole pack is held after a read');
  assert.equal(await releasePackData({ fs: repo.fs, cache: repo.cache }), 1);
  assert.equal(Buffer.isBuffer(indexes[0]!.pack), false, 'no pack bytes held once released');
  assert.equal(await releasePackData(repo), 1, 'a released pack can be released again');

  // One read starts, the pack is released while it runs, others follow.
  const underWay = read(branches[0]!.oid);
  const releasing = releasePackData(repo);
  const after = await Promise.all([underWay, ...branches.slice(1).map((ref) => read(ref.oid))]);
  await releasing;
  assert.deepEqual(after, before);
});

test('a cache isomorphic-git never used, or a local repository never read, releases nothing', async (t) => {
  const root = await makeTempDir(t, 'rbee-release-none');
  const { gitdir } = await buildSmallCatalog(root);
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: root });
  assert.equal(await releasePackData(repo), 0);
  assert.equal(await releasePackData({ fs: repo.fs, cache: {} }), 0);
});
