// patchSnapshot: the snapshot after a push moved, created or deleted a few
// branches. The previous snapshot's maps are copied (a native copy, cheap
// even at 10,000 entries) and only the named branches are read and indexed,
// so a refresh costs what changed, not what the catalog holds. The result is
// the same snapshot buildSnapshot would make from the same refs (tested).

import { isSelectedBranch } from '../git/branchSelection.js';
import type { CatalogRepository } from '../git/types.js';
import { assembleSnapshot, servedWorkerFor, sortedByKey } from './assembleSnapshot.js';
import { indexBranch } from './indexBranch.js';
import { keepLastGood } from './keepLastGood.js';
import type { CatalogSnapshot } from './snapshot.js';

export interface PatchSnapshotOptions {
  readonly repo: CatalogRepository;
  readonly gitUrl: string;
  readonly previous: CatalogSnapshot;
  /** Branch → its tip now, or undefined for a branch that is gone. */
  readonly tips: ReadonlyMap<string, string | undefined>;
  readonly now?: () => Date;
}

export async function patchSnapshot(options: PatchSnapshotOptions): Promise<CatalogSnapshot> {
  const { repo, gitUrl, previous, tips, now = () => new Date() } = options;
  let defaultBranch = previous.defaultBranch;
  let branches = new Map(previous.branches);
  const workers = new Map(previous.workers);
  let added = false;

  for (const [name, tip] of tips) {
    // A branch the selection leaves out is, to the catalog, not there (readRepositoryRefs leaves it out too).
    const oid = name === defaultBranch?.name || isSelectedBranch(repo.selection, name) ? tip : undefined;
    if (name === defaultBranch?.name) {
      // A deleted default branch needs HEAD's new target: that is a full refresh, not a patch.
      if (oid === undefined) throw new Error(`patchSnapshot: the default branch ${name} is gone; rebuild the snapshot`);
      defaultBranch = { name, oid };
      continue;
    }
    const before = branches.get(name);
    if (before?.oid === oid) continue;
    const record = oid === undefined ? undefined : keepLastGood(await indexBranch(repo, { name, oid }), before);
    // Only ids that are gone are deleted: setting a key the map holds keeps its place, so the
    // maps stay in name order and assembleSnapshot need not sort 10,000 entries for one push.
    const kept = new Set(record?.workers.map((worker) => worker.id));
    for (const worker of before?.workers ?? []) if (!kept.has(worker.id)) workers.delete(worker.id);
    if (record === undefined) {
      branches.delete(name);
      continue;
    }
    added ||= before === undefined;
    branches.set(name, record);
    for (const worker of record.workers) workers.set(worker.id, servedWorkerFor(worker, record, previous.workers.get(worker.id), gitUrl));
  }
  // A new branch went to the end of the map; branches are kept in name order.
  if (added) branches = new Map(sortedByKey(branches));
  return assembleSnapshot({ builtAt: now(), defaultBranch, branches, workers });
}

