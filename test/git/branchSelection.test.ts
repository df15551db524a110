import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { patchSnapshot } from '../../src/catalog/patchSnapshot.js';
import { isSelectedBranch, matchesGlob } from '../../src/git/branchSelection.js';
import { readRepositoryRefs } from '../../src/git/readRepositoryRefs.js';
import { catalogWorkerIds, fixtureRepository, TEST_GIT_URL } from '../helpers/catalogApp.js';

test('globs match whole names: * any run, ? one character, everything else literally', () => {
  const cases: Array<[string, string, boolean]> = [
    ['llm-*', 'llm-worker-rbee-cpu', true],
    ['llm-*', 'sd-worker-rbee-cpu', false],
    ['*-cpu', 'llm-worker-rbee-cpu', true],
    ['*-cpu', 'llm-worker-rbee-cpu-old', false],
    ['*worker*', 'sd-worker-rbee-metal', true],
    ['sd-worker-rbee-????', 'sd-worker-rbee-cuda', true],
    ['sd-worker-rbee-????', 'sd-worker-rbee-rocm2', false],
    ['a.b', 'axb', false],
    ['*', '', true],
    ['', 'x', false],
    ['renovate/*', 'renovate/deps', true],
  ];
  for (const [pattern, name, expected] of cases) assert.equal(matchesGlob(pattern, name), expected, `${pattern} ~ ${name}`);
  const started = performance.now();
  assert.equal(matchesGlob('*a*a*a*a*a*a*b', 'a'.repeat(5000)), false);
  assert.ok(performance.now() - started < 1000, 'no exponential backtracking');
});

test('a branch is selected when an include matches (none: all) and no exclude does', () => {
  const selection = { include: ['llm-*', 'sd-*'], exclude: ['*-premium'] };
  assert.equal(isSelectedBranch(selection, 'llm-worker-rbee-cpu'), true);
  assert.equal(isSelectedBranch(selection, 'llm-worker-rbee-premium'), false);
  assert.equal(isSelectedBranch(selection, 'other-worker'), false);
  assert.equal(isSelectedBranch({ include: [], exclude: ['sd-*'] }, 'other-worker'), true);
  assert.equal(isSelectedBranch(undefined, 'anything'), true);
});

test('the repository\'s selection decides what every index and patch serves; a configured default branch is not a worker', async (t) => {
  const { repo } = await fixtureRepository(t);
  const selected = { ...repo, selection: { defaultBranch: 'sd-worker-rbee-rocm', include: ['llm-*', 'sd-*'], exclude: ['*-premium', '*-metal'] } };
  const refs = await readRepositoryRefs(selected);
  assert.equal(refs.defaultBranch, 'sd-worker-rbee-rocm');
  const snapshot = await buildSnapshot({ repo: selected, gitUrl: TEST_GIT_URL });
  const expected = catalogWorkerIds().filter((id) => !id.endsWith('-premium') && !id.endsWith('-metal') && id !== 'sd-worker-rbee-rocm');
  assert.deepEqual([...snapshot.workers.keys()], expected);
  assert.equal(snapshot.defaultBranch?.name, 'sd-worker-rbee-rocm');
  assert.ok(!snapshot.branches.has('master'), 'master is neither the default branch now nor an included worker branch');

  const everything = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });
  const metal = everything.branches.get('llm-worker-rbee-metal')!;
  const patched = await patchSnapshot({ repo: selected, gitUrl: TEST_GIT_URL, previous: snapshot, tips: new Map([['llm-worker-rbee-metal', metal.oid]]) });
  assert.ok(!patched.workers.has('llm-worker-rbee-metal'), 'a push to an excluded branch serves nothing');
  const unselected = await patchSnapshot({ repo: selected, gitUrl: TEST_GIT_URL, previous: everything, tips: new Map([['llm-worker-rbee-metal', metal.oid]]) });
  assert.ok(!unselected.workers.has('llm-worker-rbee-metal'), 'and a branch that became excluded is dropped at its next push');
});
