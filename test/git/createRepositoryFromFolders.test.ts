// createRepositoryFromFolders: checked with native git as the oracle.

import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { createRepositoryFromFolders, FIXTURE_TIME } from '../../src/git/createRepositoryFromFolders.js';
import { buildSmallCatalog, SMALL_CATALOG, writeFolderTree } from '../helpers/folderTree.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

const BRANCHES = ['llm-worker-rbee-cpu', 'master', 'sd-worker-rbee-cuda'];

test('builds a bare repository native git reads: one branch per folder, files byte for byte', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-create');
  const sourceDir = path.join(root, 'folders');
  await writeFolderTree(sourceDir, SMALL_CATALOG);
  const gitdir = path.join(root, 'out', 'catalog.git');

  const { branches } = await createRepositoryFromFolders({ sourceDir, gitdir });

  assert.deepEqual(branches.map((branch) => branch.name), BRANCHES);
  const listed = (await git(['-C', gitdir, 'for-each-ref', '--format=%(refname) %(objectname)'])).trim().split('\n');
  assert.deepEqual(listed, branches.map((branch) => `refs/heads/${branch.name} ${branch.oid}`));
  assert.equal((await git(['-C', gitdir, 'symbolic-ref', 'HEAD'])).trim(), 'refs/heads/master');
  assert.equal((await git(['-C', gitdir, 'rev-parse', '--is-bare-repository'])).trim(), 'true');
  await git(['-C', gitdir, 'fsck', '--strict', '--no-dangling']);

  for (const file of ['llm-worker-rbee-cpu/PKGBUILD', 'llm-worker-rbee-cpu/patches/fix-build.patch', 'sd-worker-rbee-cuda/metadata.json']) {
    const [branch, ...rest] = file.split('/');
    const shown = await git(['-C', gitdir, 'show', `${branch}:${rest.join('/')}`]);
    assert.equal(shown, await readFile(path.join(sourceDir, file), 'utf8'), file);
  }
  const tree = await git(['-C', gitdir, 'ls-tree', '-r', 'llm-worker-rbee-cpu']);
  assert.match(tree, /^100755 blob [0-9a-f]{40}\tbuild\.sh$/m);
  assert.match(tree, /^100644 blob [0-9a-f]{40}\tPKGBUILD$/m);
  const log = await git(['-C', gitdir, 'log', '-1', '--format=%an <%ae>|%cn <%ce>|%ct|%P', 'master']);
  assert.equal(log.trim(), `rbee catalog fixtures <fixtures@rbee.invalid>|rbee catalog fixtures <fixtures@rbee.invalid>|${FIXTURE_TIME}|`);
});

test('the same folders give the same oids; another time gives other oids', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-create');
  const sourceDir = path.join(root, 'folders');
  await writeFolderTree(sourceDir, SMALL_CATALOG);

  const first = await createRepositoryFromFolders({ sourceDir, gitdir: path.join(root, 'a.git') });
  const second = await createRepositoryFromFolders({ sourceDir, gitdir: path.join(root, 'b.git') });
  const later = await createRepositoryFromFolders({ sourceDir, gitdir: path.join(root, 'c.git'), time: FIXTURE_TIME + 1 });

  assert.deepEqual(second.branches, first.branches);
  assert.notEqual(later.branches[0]?.oid, first.branches[0]?.oid);
});

test('replaces an existing repository in place and leaves no temporary folders', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-create');
  const { sourceDir, gitdir } = await buildSmallCatalog(root);

  await writeFile(path.join(sourceDir, 'master', 'README.md'), '# changed\n');
  const { branches } = await createRepositoryFromFolders({ sourceDir, gitdir });

  assert.equal(await git(['-C', gitdir, 'show', 'master:README.md']), '# changed\n');
  assert.equal((await git(['-C', gitdir, 'rev-parse', 'master'])).trim(), branches.find((b) => b.name === 'master')?.oid);
  assert.deepEqual((await readdir(root)).sort(), ['catalog.git', 'folders']);
});

test('refuses to replace a folder that is not a repository, leaving it untouched', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-create');
  const sourceDir = path.join(root, 'folders');
  await writeFolderTree(sourceDir, SMALL_CATALOG);
  const precious = path.join(root, 'precious');
  await writeFolderTree(precious, { 'notes.txt': 'keep me\n' });

  await assert.rejects(createRepositoryFromFolders({ sourceDir, gitdir: precious }), { code: 'REFUSING_TO_REPLACE' });
  assert.deepEqual(await readdir(precious), ['notes.txt']);
  assert.deepEqual((await readdir(root)).sort(), ['folders', 'precious']);
});

for (const name of ['bad name', 'a..b', 'worker.lock', '.hidden', '-dash', 'HEAD', 'tab\tname']) {
  test(`rejects the folder name ${JSON.stringify(name)} before writing anything`, { timeout: 30_000 }, async (t) => {
    const root = await makeTempDir(t, 'rbee-create');
    const sourceDir = path.join(root, 'folders');
    await writeFolderTree(sourceDir, { 'master/README.md': 'x\n' });
    await mkdir(path.join(sourceDir, name));
    const gitdir = path.join(root, 'catalog.git');

    await assert.rejects(createRepositoryFromFolders({ sourceDir, gitdir }), { code: 'INVALID_BRANCH_NAME', data: { name } });
    assert.deepEqual(await readdir(root), ['folders']);
  });
}

test('rejects a default branch that has no folder (a dangling HEAD corrupts isomorphic-git fetches)', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-create');
  const sourceDir = path.join(root, 'folders');
  await writeFolderTree(sourceDir, SMALL_CATALOG);

  await assert.rejects(
    createRepositoryFromFolders({ sourceDir, gitdir: path.join(root, 'catalog.git'), defaultBranch: 'main' }),
    { code: 'DEFAULT_BRANCH_MISSING', data: { defaultBranch: 'main', sourceDir } },
  );
  assert.deepEqual(await readdir(root), ['folders']);
});

test('a non-default default branch becomes HEAD', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-create');
  const sourceDir = path.join(root, 'folders');
  await writeFolderTree(sourceDir, { 'main/README.md': 'x\n', 'w/PKGBUILD': 'y\n' });
  const gitdir = path.join(root, 'catalog.git');

  await createRepositoryFromFolders({ sourceDir, gitdir, defaultBranch: 'main' });

  assert.equal((await git(['-C', gitdir, 'symbolic-ref', 'HEAD'])).trim(), 'refs/heads/main');
});
