import assert from 'node:assert/strict';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { readBranchHistory } from '../../src/git/readBranchHistory.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { historyRepository, HISTORY_WORKER } from '../helpers/historyRepository.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

test('readBranchHistory lists commits as git rev-list --date-order does, merges included', async (t) => {
  const source = await historyRepository(t);
  // A side line merged back: two parents, interleaved times.
  const env = (hour: number): Record<string, string> => ({ GIT_AUTHOR_DATE: `@${1750000000 + hour * 3600} +0000`, GIT_COMMITTER_DATE: `@${1750000000 + hour * 3600} +0000` });
  await git(['checkout', '-q', '-b', 'side', 'HEAD~2'], { cwd: source.work });
  await git(['commit', '-q', '--allow-empty', '-m', 'side 1'], { cwd: source.work, env: env(1) });
  await git(['checkout', '-q', HISTORY_WORKER], { cwd: source.work });
  await git(['commit', '-q', '--allow-empty', '-m', 'main 1'], { cwd: source.work, env: env(2) });
  await git(['merge', '-q', '--no-edit', 'side'], { cwd: source.work, env: env(3) });
  const repo = await openCatalogRepository({ source: source.work, cacheDir: path.join(source.work, '..', 'cache') });
  const tipOid = (await git(['rev-parse', 'HEAD'], { cwd: source.work })).trim();
  const history = await readBranchHistory(repo, { tipOid, maxCommits: 100 });
  const expected = (await git(['rev-list', '--date-order', 'HEAD'], { cwd: source.work })).trim().split('\n');
  assert.deepEqual(history.commits.map((commit) => commit.oid), expected);
  assert.deepEqual([history.complete, history.reason], [true, undefined]);
});

test('readBranchHistory stops at a missing object and says HISTORY_MISSING_OBJECTS', async (t) => {
  const source = await historyRepository(t);
  // The work tree's objects are loose: copy them and remove one commit in the middle.
  const gitdir = path.join(await makeTempDir(t, 'rbee-missing'), 'copy.git');
  cpSync(path.join(source.work, '.git'), gitdir, { recursive: true });
  const missing = source.commits.get('0.1.0-2')!;
  rmSync(path.join(gitdir, 'objects', missing.slice(0, 2), missing.slice(2)));
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: path.join(gitdir, '..', 'cache') });
  const tipOid = source.commits.get('1:0.2.0-1')!;
  const history = await readBranchHistory(repo, { tipOid, maxCommits: 100 });
  assert.deepEqual(history.commits.map((commit) => commit.oid), [tipOid, source.commits.get('0.1.0-2 patched')]);
  assert.deepEqual([history.complete, history.reason], [false, 'HISTORY_MISSING_OBJECTS']);
  const gone = await readBranchHistory(repo, { tipOid: missing, maxCommits: 100 });
  assert.deepEqual([gone.commits.length, gone.reason], [0, 'HISTORY_MISSING_OBJECTS']);
});
