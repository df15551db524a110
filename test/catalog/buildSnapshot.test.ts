import assert from 'node:assert/strict';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { createRepositoryFromFolders } from '../../src/git/createRepositoryFromFolders.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { catalogWorkerIds, fixtureRepository, TEST_GIT_URL } from '../helpers/catalogApp.js';

test('the default branch is not a worker; every other branch is indexed', async (t) => {
  const { repo } = await fixtureRepository(t);
  const snapshot = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });
  assert.equal(snapshot.defaultBranch?.name, 'master');
  assert.equal(snapshot.branches.has('master'), false);
  assert.deepEqual([...snapshot.branches.keys()].sort(), catalogWorkerIds());
  assert.deepEqual([...snapshot.workers.keys()], catalogWorkerIds());
});

test('a rebuild reuses every branch whose tip did not move and re-reads the one that did', async (t) => {
  const { repo, gitdir, sourceDir } = await fixtureRepository(t);
  const first = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });

  writeFileSync(path.join(sourceDir, 'sd-worker-rbee-cpu', 'README.md'), '# sd-worker-rbee-cpu\n\nRewritten.\n');
  await createRepositoryFromFolders({ sourceDir, gitdir, defaultBranch: 'master' });
  const reopened = await openCatalogRepository({ source: gitdir, cacheDir: path.join(gitdir, '..', 'cache') });
  const second = await buildSnapshot({ repo: reopened, gitUrl: TEST_GIT_URL, previous: first });

  assert.notEqual(second.branches.get('sd-worker-rbee-cpu')?.oid, first.branches.get('sd-worker-rbee-cpu')?.oid);
  assert.notEqual(second.branches.get('sd-worker-rbee-cpu'), first.branches.get('sd-worker-rbee-cpu'));
  for (const id of catalogWorkerIds().filter((name) => name !== 'sd-worker-rbee-cpu')) {
    assert.equal(second.branches.get(id), first.branches.get(id), `${id} is reused as it was`);
    assert.equal(second.workers.get(id), first.workers.get(id), `${id}'s responses are reused as they were`);
  }
  assert.notEqual(second.id, first.id);
  assert.notEqual(second.v1List.etag, first.v1List.etag, 'v1 entries name the commit, which moved');
  assert.equal(second.legacyList.etag, first.legacyList.etag, 'legacy entries hold no README, so their list did not change');
});

test('an identical repository gives an identical snapshot id and list ETags', async (t) => {
  const { repo } = await fixtureRepository(t);
  const a = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });
  const b = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });
  assert.equal(a.id, b.id);
  assert.equal(a.legacyList.etag, b.legacyList.etag);
  assert.deepEqual(a.v1List.body, b.v1List.body);
});

test('branch names that are not worker ids, non-UTF-8 files and a missing README are reported', async (t) => {
  const { gitdir, sourceDir } = await fixtureRepository(t);
  cpSync(path.join(sourceDir, 'llm-worker-rbee-cpu'), path.join(sourceDir, 'Upper-Case-Branch'), { recursive: true });
  cpSync(path.join(sourceDir, 'llm-worker-rbee-cpu'), path.join(sourceDir, 'llm-worker-latin1'), { recursive: true });
  writeFileSync(path.join(sourceDir, 'llm-worker-latin1', 'README.md'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  rmSync(path.join(sourceDir, 'sd-worker-rbee-metal', 'README.md'));
  await createRepositoryFromFolders({ sourceDir, gitdir, defaultBranch: 'master' });
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: path.join(gitdir, '..', 'cache') });
  const snapshot = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });

  const codes = (branch: string): string[] => snapshot.branches.get(branch)?.problems.map((problem) => problem.code) ?? [];
  assert.deepEqual(codes('Upper-Case-Branch'), ['BRANCH_NAME_INVALID']);
  assert.equal(snapshot.workers.has('Upper-Case-Branch'), false);
  assert.ok(codes('llm-worker-latin1').includes('FILE_NOT_UTF8'));
  assert.equal(snapshot.workers.has('llm-worker-latin1'), false);
  assert.deepEqual(codes('sd-worker-rbee-metal'), ['README_MISSING']);
  assert.equal(snapshot.workers.has('sd-worker-rbee-metal'), true, 'a warning does not stop a worker being served');
});

test('a rebuild where no tip moved, came or went takes the previous snapshot\'s maps whole, with the new default branch', async (t) => {
  const { repo, gitdir, sourceDir } = await fixtureRepository(t);
  const first = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });
  const again = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, previous: first });
  assert.equal(again.branches, first.branches);
  assert.equal(again.workers, first.workers);
  assert.equal(again.id, first.id);
  assert.deepEqual(again.v1List.body, (await buildSnapshot({ repo, gitUrl: TEST_GIT_URL })).v1List.body, 'what a build from nothing serves');

  // A branch that went: the same tips otherwise, but not the same set.
  rmSync(path.join(sourceDir, 'sd-worker-rbee-cpu'), { recursive: true });
  await createRepositoryFromFolders({ sourceDir, gitdir, defaultBranch: 'master' });
  const fewer = await buildSnapshot({ repo: await openCatalogRepository({ source: gitdir, cacheDir: path.join(gitdir, '..', 'cache') }), gitUrl: TEST_GIT_URL, previous: first });
  assert.equal(fewer.branches.has('sd-worker-rbee-cpu'), false);
  assert.equal(fewer.workers.has('sd-worker-rbee-cpu'), false);
  assert.equal(fewer.branches.size, first.branches.size - 1);
});
