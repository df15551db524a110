import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { readRepositoryRefs } from '../../src/git/readRepositoryRefs.js';
import { patchRefs } from '../../src/refresh/patchRefs.js';
import { fixtureRepository, TEST_GIT_URL } from '../helpers/catalogApp.js';

const NEW_OID = 'f'.repeat(40);
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

test('patched refs equal the repository refs with the named tips changed, in name order', async (t) => {
  const { repo } = await fixtureRepository(t);
  const refs = await readRepositoryRefs(repo);
  const snapshot = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, refs });
  const expected = (changes: Record<string, string | undefined>) => {
    const names = new Map(refs.branches.map((ref) => [ref.name, ref.oid]));
    for (const [name, oid] of Object.entries(changes)) {
      if (oid === undefined) names.delete(name);
      else names.set(name, oid);
    }
    return { defaultBranch: refs.defaultBranch, branches: [...names].map(([name, oid]) => ({ name, oid })).sort(byName) };
  };
  const cases: Array<Record<string, string | undefined>> = [
    {},
    { 'llm-worker-rbee-cpu': NEW_OID },
    { 'sd-worker-rbee-rocm': NEW_OID, master: NEW_OID },
    { 'llm-worker-rbee-cuda': undefined },
    { 'aaa-new-worker': NEW_OID },
    { 'zzz-new-worker': NEW_OID, 'llm-worker-rbee-metal': undefined },
  ];
  for (const changes of cases) {
    assert.deepEqual(patchRefs(snapshot, new Map(Object.entries(changes))), expected(changes), JSON.stringify(changes));
  }
});
