// patchSnapshot: the snapshot after a push moved, created or deleted a few
// branches. Only the named branches are read and indexed, and the new
// snapshot's maps share every chunk the change does not touch with the
// previous one's (SortedChunkMap), so a refresh costs what changed, in time
// and in memory, not what the catalog holds. The result is the same snapshot
// buildSnapshot would make from the same refs (tested).

import { isSelectedBranch } from '../git/branchSelection.js';
import type { ObjectReader } from '../git/packObjectReader.js';
import type { CatalogRepository } from '../git/types.js';
import { assembleSnapshot, servedWorkerFor } from './assembleSnapshot.js';
import { indexBranch } from './indexBranch.js';
import { keepLastGood } from './keepLastGood.js';
import type { BranchRecord } from './branchRecord.js';
import type { CatalogSnapshot, ServedWorker } from './snapshot.js';
import { SortedChunkMap } from './sortedChunkMap.js';

export interface PatchSnapshotOptions {
  readonly repo: CatalogRepository;
  readonly gitUrl: string;
  readonly previous: CatalogSnapshot;
  /** Branch → its tip now, or undefined for a branch that is gone. */
  readonly tips: ReadonlyMap<string, string | undefined>;
  /** Where objects are read first (the refresh engine's PackFileObjects); isomorphic-git reads the rest. */
  readonly objects?: ObjectReader;
  readonly now?: () => Date;
}

export async function patchSnapshot(options: PatchSnapshotOptions): Promise<CatalogSnapshot> {
  const { repo, gitUrl, previous, tips, objects, now = () => new Date() } = options;
  let defaultBranch = previous.defaultBranch;
  // What changes, undefined for what is gone; each map is then the previous one with its changes.
  const branchChanges = new Map<string, BranchRecord | undefined>();
  const workerChanges = new Map<string, ServedWorker | undefined>();

  for (const [name, tip] of tips) {
    // A branch the selection leaves out is, to the catalog, not there (readRepositoryRefs leaves it out too).
    const oid = name === defaultBranch?.name || isSelectedBranch(repo.selection, name) ? tip : undefined;
    if (name === defaultBranch?.name) {
      // A deleted default branch needs HEAD's new target: that is a full refresh, not a patch.
      if (oid === undefined) throw new Error(`patchSnapshot: the default branch ${name} is gone; rebuild the snapshot`);
      defaultBranch = { name, oid };
      continue;
    }
    const before = previous.branches.get(name);
    if (before?.oid === oid) continue;
    const record = oid === undefined ? undefined : keepLastGood(await indexBranch(repo, { name, oid }, { objects }), before);
    for (const worker of before?.workers ?? []) workerChanges.set(worker.id, undefined);
    branchChanges.set(name, record);
    if (record === undefined) continue;
    for (const worker of record.workers) workerChanges.set(worker.id, servedWorkerFor(worker, record, previous.workers.get(worker.id), gitUrl));
  }
  return assembleSnapshot({
    builtAt: now(),
    defaultBranch,
    branches: SortedChunkMap.from(previous.branches).with(branchChanges),
    workers: SortedChunkMap.from(previous.workers).with(workerChanges),
  });
}

