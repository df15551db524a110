// readBranchFiles: commit, top-level entries and requested blobs, checked
// against native git's view of the same commit.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { createRepositoryFromFolders, FIXTURE_TIME } from '../../src/git/createRepositoryFromFolders.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { readBranchFiles } from '../../src/git/readBranchFiles.js';
import { buildSmallCatalog, SMALL_CATALOG, writeFolderTree } from '../helpers/folderTree.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

/** `git ls-tree` lines: `mode type oid\tpath`, in git's tree order. */
async function nativeEntries(gitdir: string, commit: string): Promise<string[]> {
  return (await git(['-C', gitdir, 'ls-tree', commit])).split('\n').filter((line) => line !== '');
}

test('returns the requested top-level blobs, every top-level entry and the commit', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-files');
  const sourceDir = path.join(root, 'folders');
  await writeFolderTree(sourceDir, SMALL_CATALOG);
  const gitdir = path.join(root, 'catalog.git');
  const { branches } = await createRepositoryFromFolders({ sourceDir, gitdir });
  const branch = branches.find((b) => b.name === 'llm-worker-rbee-cpu')!;
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: path.join(root, 'cache') });

  const result = await readBranchFiles(repo, { commitOid: branch.oid, names: ['PKGBUILD', '.SRCINFO', 'README.md', 'patches', 'metadata.json'] });

  // README.md is missing on this branch and patches/ is a folder: neither is a file.
  assert.deepEqual([...result.files.keys()].sort(), ['.SRCINFO', 'PKGBUILD', 'metadata.json']);
  for (const name of result.files.keys()) {
    assert.deepEqual(Buffer.from(result.files.get(name)!), await readFile(path.join(sourceDir, branch.name, name)), name);
  }
  assert.deepEqual(
    result.entries.map((e) => `${e.mode} ${e.type} ${e.oid}\t${e.path}`),
    await nativeEntries(gitdir, branch.oid),
  );
  assert.deepEqual(result.commit, {
    oid: branch.oid,
    treeOid: (await git(['-C', gitdir, 'rev-parse', `${branch.oid}^{tree}`])).trim(),
    time: FIXTURE_TIME,
    author: { name: 'rbee catalog fixtures', email: 'fixtures@rbee.invalid' },
    message: 'llm-worker-rbee-cpu\n',
  });
});

test('commit time is the committer time; entries come in git tree order (`a.b` before folder `a`)', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-files');
  const work = path.join(root, 'work');
  await git(['init', '--quiet', '-b', 'master', work]);
  await writeFolderTree(work, { 'a.b': 'file\n', 'a/inner.txt': 'nested\n', 'a-c': 'dash\n', PKGBUILD: 'pkgname=x\n' });
  await git(['-C', work, 'add', '.']);
  await git(['-C', work, 'commit', '--quiet', '-m', 'dated'], {
    env: { GIT_AUTHOR_DATE: '@1600000000 +0000', GIT_COMMITTER_DATE: '@1700000000 +0200' },
  });
  const oid = (await git(['-C', work, 'rev-parse', 'HEAD'])).trim();
  const repo = await openCatalogRepository({ source: work, cacheDir: path.join(root, 'cache') });

  const result = await readBranchFiles(repo, { commitOid: oid, names: ['PKGBUILD', 'a'] });

  assert.equal(result.commit.time, 1700000000);
  assert.equal(result.commit.author.name, 'Test Pusher');
  assert.deepEqual([...result.files.keys()], ['PKGBUILD']);
  assert.deepEqual(result.entries.map((e) => e.path), ['PKGBUILD', 'a-c', 'a.b', 'a']);
  assert.deepEqual(result.entries.map((e) => `${e.mode} ${e.type} ${e.oid}\t${e.path}`), await nativeEntries(path.join(work, '.git'), oid));
});

test('an unknown commit oid rejects', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-files');
  const { gitdir } = await buildSmallCatalog(root);
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: path.join(root, 'cache') });

  await assert.rejects(readBranchFiles(repo, { commitOid: '0'.repeat(40), names: ['PKGBUILD'] }), { code: 'NotFoundError' });
});

test('lists the whole tree with blob sizes, as native git does', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-tree');
  const sourceDir = path.join(root, 'folders');
  await writeFolderTree(sourceDir, {
    ...SMALL_CATALOG,
    'llm-worker-rbee-cpu/keys/pgp/ABC.asc': 'key\n',
    'llm-worker-rbee-cpu/LICENSES/MIT.txt': 'x'.repeat(1000),
  });
  const gitdir = path.join(root, 'catalog.git');
  const { branches } = await createRepositoryFromFolders({ sourceDir, gitdir });
  const branch = branches.find((b) => b.name === 'llm-worker-rbee-cpu')!;
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: path.join(root, 'cache') });
  const result = await readBranchFiles(repo, { commitOid: branch.oid, names: ['PKGBUILD'] });

  // `git ls-tree -r -t -l`: every entry, folders included, with blob sizes.
  const native = (await git(['-C', gitdir, 'ls-tree', '-r', '-t', '-l', branch.oid])).split('\n').filter((line) => line !== '')
    .map((line) => {
      const [meta, file] = line.split('\t');
      const [mode, type, oid, size] = meta!.trim().split(/\s+/);
      return `${mode} ${type} ${oid} ${size === '-' ? '' : size} ${file}`;
    }).sort();
  assert.deepEqual(result.tree.map((e) => `${e.mode} ${e.type} ${e.oid} ${e.size ?? ''} ${e.path}`).sort(), native);
  assert.equal(result.treeTruncated, false);
  assert.ok(result.tree.some((e) => e.path === 'keys/pgp/ABC.asc' && e.size === 4));
});
