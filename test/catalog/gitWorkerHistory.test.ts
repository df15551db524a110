import assert from 'node:assert/strict';
import nodeFs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gitWorkerHistory } from '../../src/catalog/gitWorkerHistory.js';
import type { WorkerVersions } from '../../src/catalog/workerHistory.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { historyRepository, HISTORY_WORKER } from '../helpers/historyRepository.js';
import { git } from '../helpers/nativeGit.js';

/** node:fs with every promise call counted: how much a history answer reads. */
function countingFs(): { fs: typeof nodeFs; calls: () => number } {
  let calls = 0;
  const promises = new Proxy(nodeFs.promises, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { fs: { ...nodeFs, promises } as typeof nodeFs, calls: () => calls };
}

test('a second versions answer reads nothing; a push costs its new commits, not the whole history', async (t) => {
  const source = await historyRepository(t);
  const counter = countingFs();
  const repo = await openCatalogRepository({ source: source.gitdir, cacheDir: path.join(source.gitdir, '..', 'cache'), fs: counter.fs });
  const history = gitWorkerHistory({ repo });
  const tip = (): Promise<string> => git(['rev-parse', HISTORY_WORKER], { cwd: source.gitdir }).then((oid) => oid.trim());
  const versions = async (tipOid: string): Promise<WorkerVersions> => history.versions({ branch: HISTORY_WORKER, tipOid }) as Promise<WorkerVersions>;

  let before = counter.calls();
  const first = await versions(await tip());
  const firstCost = counter.calls() - before;
  assert.ok(firstCost > 0);
  before = counter.calls();
  assert.equal(await versions(await tip()), first, 'the same answer, kept by tip');
  assert.equal(counter.calls() - before, 0);

  for (let index = 0; index < 3; index += 1) await source.commit(`empty ${index}`, () => undefined);
  before = counter.calls();
  const after = await versions(await tip());
  const pushCost = counter.calls() - before;
  assert.equal(after.commitsRead, first.commitsRead + 3);
  assert.deepEqual(after.versions.slice(1), first.versions.slice(1));
  assert.ok(pushCost < firstCost, `a push of 3 empty commits cost ${pushCost} reads, the first walk ${firstCost}`);
});
