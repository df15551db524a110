// readRepositoryRefs on local repositories, checked against `git for-each-ref`.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { readRepositoryRefs } from '../../src/git/readRepositoryRefs.js';
import { buildSmallCatalog, writeFolderTree } from '../helpers/folderTree.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

async function smallBareRepository(root: string): Promise<string> {
  const { gitdir } = await buildSmallCatalog(root);
  return gitdir;
}

/** The oracle: native git's own list of branches, as `name oid` lines in refname order. */
async function nativeBranches(gitdir: string): Promise<string[]> {
  const out = await git(['-C', gitdir, 'for-each-ref', '--format=%(refname:strip=2) %(objectname)', 'refs/heads/']);
  return out.split('\n').filter((line) => line !== '');
}

test('reads every branch of a bare repository, sorted, with HEAD as the default branch', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-refs');
  const gitdir = await smallBareRepository(root);
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: path.join(root, 'cache') });

  const refs = await readRepositoryRefs(repo);

  assert.equal(refs.defaultBranch, 'master');
  assert.deepEqual(refs.branches.map((b) => `${b.name} ${b.oid}`), await nativeBranches(gitdir));
  assert.deepEqual(refs.branches.map((b) => b.name), ['llm-worker-rbee-cpu', 'master', 'sd-worker-rbee-cuda']);
});

test('packed and loose refs together: loose ones win, deleted packed ones vanish, nested names stay whole', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-refs');
  const gitdir = await smallBareRepository(root);
  const master = (await git(['-C', gitdir, 'rev-parse', 'master'])).trim();
  await git(['-C', gitdir, 'update-ref', 'refs/heads/team/packed-nested', master]);
  await git(['-C', gitdir, 'pack-refs', '--all', '--prune']);
  const packed = await readFile(path.join(gitdir, 'packed-refs'), 'utf8');
  assert.match(packed, /refs\/heads\/llm-worker-rbee-cpu$/m, 'precondition: the branches are packed');

  // A loose ref written after packing overrides the packed line for the same branch.
  await git(['-C', gitdir, 'update-ref', 'refs/heads/llm-worker-rbee-cpu', master]);
  await git(['-C', gitdir, 'update-ref', 'refs/heads/team/loose-nested', master]);
  await git(['-C', gitdir, 'update-ref', '-d', 'refs/heads/sd-worker-rbee-cuda']);
  // Upper case sorts before lower case in code-unit order, as in git.
  await git(['-C', gitdir, 'update-ref', 'refs/heads/Zeta', master]);
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: path.join(root, 'cache') });

  const refs = await readRepositoryRefs(repo);

  assert.deepEqual(refs.branches.map((b) => `${b.name} ${b.oid}`), await nativeBranches(gitdir));
  assert.deepEqual(refs.branches.map((b) => b.name), ['Zeta', 'llm-worker-rbee-cpu', 'master', 'team/loose-nested', 'team/packed-nested']);
  assert.equal(refs.branches.find((b) => b.name === 'llm-worker-rbee-cpu')?.oid, master);
  assert.equal(refs.defaultBranch, 'master');
});

test('a HEAD naming a missing branch gives no default branch', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-refs');
  const gitdir = await smallBareRepository(root);
  await git(['-C', gitdir, 'symbolic-ref', 'HEAD', 'refs/heads/gone']);
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: path.join(root, 'cache') });

  const refs = await readRepositoryRefs(repo);

  assert.equal(refs.defaultBranch, undefined);
  assert.equal(refs.branches.length, 3);
});

test('a work tree made by native git: its branches, and its checked-out branch as default', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-refs');
  const work = path.join(root, 'work');
  await git(['init', '--quiet', '-b', 'main', work]);
  await writeFolderTree(work, { 'README.md': 'x\n' });
  await git(['-C', work, 'add', '.']);
  await git(['-C', work, 'commit', '--quiet', '-m', 'first']);
  await git(['-C', work, 'branch', 'worker-a']);
  const repo = await openCatalogRepository({ source: work, cacheDir: path.join(root, 'cache') });

  const refs = await readRepositoryRefs(repo);

  assert.equal(refs.defaultBranch, 'main');
  assert.deepEqual(refs.branches.map((b) => `${b.name} ${b.oid}`), await nativeBranches(path.join(work, '.git')));
});
