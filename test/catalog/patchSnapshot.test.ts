// patchSnapshot must give exactly the snapshot buildSnapshot makes from the
// same refs — same branches in the same order, same served bytes, same id —
// while reading only the branches it is told about.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { patchSnapshot } from '../../src/catalog/patchSnapshot.js';
import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';
import { readRef } from '../../src/git/readRef.js';
import { fixtureRepository, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

function summary(snapshot: CatalogSnapshot): unknown {
  return {
    id: snapshot.id,
    defaultBranch: snapshot.defaultBranch,
    branches: [...snapshot.branches.values()].map((branch) => [branch.name, branch.oid, branch.rejected?.oid ?? null, branch.workers.map((worker) => worker.id)]),
    workers: [...snapshot.workers.keys()],
    legacyList: snapshot.legacyList.body.toString('utf8'),
    v1List: snapshot.v1List.body.toString('utf8'),
    listEtags: [snapshot.legacyList.etag, snapshot.v1List.etag],
    problems: snapshot.problems.body.toString('utf8'),
    v1: [...snapshot.workers.values()].map((served) => served.v1.body.toString('utf8')),
  };
}

test('after moved, new, deleted and rejected branches, the patched snapshot equals a full rebuild', async (t) => {
  const { repo, gitdir } = await fixtureRepository(t);
  const work = path.join(await makeTempDir(t, 'rbee-patch'), 'work');
  await git(['clone', '--quiet', gitdir, work]);
  const commitTo = async (branch: string, from: string, change: () => void): Promise<void> => {
    await git(['-C', work, 'checkout', '--quiet', '-B', branch, `origin/${from}`]);
    change();
    await git(['-C', work, 'commit', '--quiet', '-am', `change ${branch}`]);
    await git(['-C', work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
  };
  const previous = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });

  await commitTo('llm-worker-rbee-rocm', 'llm-worker-rbee-rocm', () => writeFileSync(path.join(work, 'README.md'), '# moved\n'));
  await commitTo('llm-worker-rbee-cuda', 'llm-worker-rbee-cuda', () => writeFileSync(path.join(work, 'metadata.json'), '{"broken": '));
  await commitTo('aaa-not-a-worker', 'sd-worker-rbee-cpu', () => writeFileSync(path.join(work, 'README.md'), '# a new branch that fails validation\n'));
  await git(['-C', work, 'push', '--quiet', 'origin', ':refs/heads/sd-worker-rbee-metal']);

  const names = ['llm-worker-rbee-rocm', 'llm-worker-rbee-cuda', 'aaa-not-a-worker', 'sd-worker-rbee-metal', 'sd-worker-rbee-cpu'];
  const tips = new Map<string, string | undefined>();
  for (const name of names) tips.set(name, await readRef({ fs: repo.fs, gitdir: repo.gitdir, ref: `refs/heads/${name}` }));
  const now = () => new Date('2026-11-22T00:00:00Z');
  const patched = await patchSnapshot({ repo, gitUrl: TEST_GIT_URL, previous, tips, now });
  const rebuilt = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, previous, now });

  assert.deepEqual(summary(patched), summary(rebuilt));
  assert.notEqual(patched.id, previous.id);
  assert.equal(patched.workers.has('sd-worker-rbee-metal'), false);
  assert.ok(patched.branches.get('llm-worker-rbee-cuda')?.rejected, 'the invalid commit is rejected, the last good kept');
  assert.equal([...patched.branches.keys()][0], 'aaa-not-a-worker', 'a new branch takes its place in name order');
  // Untouched branches are the previous snapshot's objects, not re-read copies.
  assert.equal(patched.branches.get('sd-worker-rbee-rocm'), previous.branches.get('sd-worker-rbee-rocm'));
  assert.equal(patched.workers.get('sd-worker-rbee-rocm'), previous.workers.get('sd-worker-rbee-rocm'));
});
