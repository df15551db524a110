// releasePackData on a real packed repository: isomorphic-git's cache stops
// holding the pack's bytes, and every read after it — or already under way —
// still finds the same objects.

import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { readBranchFiles } from '../../src/git/readBranchFiles.js';
import { readRepositoryRefs } from '../../src/git/readRepositoryRefs.js';
import { heldPackBytes, releasePackData } from '../../src/git/releasePackData.js';
import { buildSmallCatalog } from '../helpers/folderTree.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

const NAMES = ['PKGBUILD', '.SRCINFO', 'metadata.json', 'README.md'];

async function onlyPack(gitdir: string): Promise<string> {
  const packs = (await readdir(path.join(gitdir, 'objects', 'pack'))).filter((name) => name.endsWith('.pack'));
  assert.equal(packs.length, 1, 'repacked into one pack');
  return path.join(gitdir, 'objects', 'pack', packs[0]!);
}

test('the cached pack is let go and read again when needed; reads under way are not disturbed', async (t) => {
  const root = await makeTempDir(t, 'rbee-release-packs');
  const { gitdir } = await buildSmallCatalog(root);
  await git(['--git-dir', gitdir, 'repack', '-a', '-d', '--quiet']);
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: root });
  const branches = (await readRepositoryRefs(repo)).branches;
  assert.ok(branches.length >= 2);
  const read = async (oid: string) => (await readBranchFiles(repo, { commitOid: oid, names: NAMES })).files;

  const packSize = (await stat(await onlyPack(gitdir))).size;
  const before = await Promise.all(branches.map((ref) => read(ref.oid)));
  assert.equal(await heldPackBytes(repo.cache), packSize, 'the whole pack is held after a read');
  assert.equal(await releasePackData({ fs: repo.fs, cache: repo.cache }), 1);
  assert.equal(await heldPackBytes(repo.cache), 0, 'no pack bytes held once released');
  await read(branches[1]!.oid);
  assert.equal(await heldPackBytes(repo.cache), packSize, 'read again, once, when next needed');
  assert.equal(await releasePackData(repo), 1, 'a pack read again can be released again');
  assert.equal(await heldPackBytes(repo.cache), 0);

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
  assert.equal(await heldPackBytes({}), 0);
});
