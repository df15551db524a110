// openCatalogRepository with local sources, and how a source is classified.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { isRemoteUrl } from '../../src/git/isRemoteUrl.js';
import { mirrorDirectoryName } from '../../src/git/mirrorDirectoryName.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { redactUrl } from '../../src/git/redactUrl.js';
import { buildSmallCatalog, writeFolderTree } from '../helpers/folderTree.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

test('a bare repository path, even relative, opens in place as kind local', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-open');
  const { gitdir } = await buildSmallCatalog(root);

  const repo = await openCatalogRepository({ source: path.relative(process.cwd(), gitdir), cacheDir: path.join(root, 'cache') });

  assert.equal(repo.kind, 'local');
  assert.equal(repo.gitdir, gitdir);
  assert.equal(repo.refPrefix, 'refs/heads/');
  assert.equal(repo.url, undefined);
  assert.equal(typeof repo.cache, 'object');
});

test('a work tree opens its .git folder', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-open');
  const work = path.join(root, 'work');
  await git(['init', '--quiet', '-b', 'master', work]);

  const repo = await openCatalogRepository({ source: work, cacheDir: path.join(root, 'cache') });

  assert.equal(repo.kind, 'local');
  assert.equal(repo.gitdir, path.join(work, '.git'));
});

test('a folder that is not a repository, or no folder at all, is NOT_A_REPOSITORY', { timeout: 30_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-open');
  const plain = path.join(root, 'plain');
  await mkdir(path.join(plain, 'refs'), { recursive: true });
  await writeFolderTree(plain, { HEAD: 'ref: refs/heads/master\n' });

  await assert.rejects(openCatalogRepository({ source: plain, cacheDir: root }), { code: 'NOT_A_REPOSITORY', data: { path: plain } });
  const missing = path.join(root, 'missing');
  await assert.rejects(openCatalogRepository({ source: missing, cacheDir: root }), { code: 'NOT_A_REPOSITORY', data: { path: missing } });
});

test('transports isomorphic-git cannot speak are UNSUPPORTED_SOURCE, with credentials hidden', async () => {
  for (const source of ['ssh://git@example.invalid/catalog.git', 'git@example.invalid:org/catalog.git', 'file:///srv/catalog.git', 'git://example.invalid/c.git']) {
    await assert.rejects(openCatalogRepository({ source, cacheDir: '/nonexistent' }), { code: 'UNSUPPORTED_SOURCE' }, source);
  }
  await assert.rejects(
    openCatalogRepository({ source: 'ssh://user:hunter2@example.invalid/c.git', cacheDir: '/nonexistent' }),
    (error: Error & { data: { source: string } }) => !error.message.includes('hunter2') && !error.data.source.includes('hunter2'),
  );
});

test('isRemoteUrl accepts http(s) URLs only', () => {
  assert.equal(isRemoteUrl('https://github.com/rbee/rbee-worker-catalog.git'), true);
  assert.equal(isRemoteUrl('HTTP://127.0.0.1:8080/c.git'), true);
  assert.equal(isRemoteUrl('/srv/catalog.git'), false);
  assert.equal(isRemoteUrl('./https://x'), false);
  assert.equal(isRemoteUrl('ssh://git@github.com/x.git'), false);
  assert.equal(isRemoteUrl('https://'), false);
});

test('redactUrl removes user and password; mirror folder names ignore them and never echo the URL', () => {
  assert.equal(redactUrl('https://user:s3cret@git.example.invalid/c.git'), 'https://git.example.invalid/c.git');
  assert.equal(redactUrl('https://git.example.invalid/c.git'), 'https://git.example.invalid/c.git');
  const name = mirrorDirectoryName('https://user:s3cret@git.example.invalid/c.git');
  assert.match(name, /^mirror-[0-9a-f]{16}\.git$/);
  assert.equal(name, mirrorDirectoryName('https://git.example.invalid/c.git'));
  assert.notEqual(name, mirrorDirectoryName('https://git.example.invalid/other.git'));
  assert.match(mirrorDirectoryName('https://x.invalid/../../etc'), /^mirror-[0-9a-f]{16}\.git$/);
});
