// patchRefs: the refs of a snapshot with some branch tips changed — what a
// push costs to describe, instead of re-reading every ref of a large catalog.

import type { CatalogSnapshot } from '../catalog/snapshot.js';
import type { BranchRef, RepositoryRefs } from '../git/types.js';

/** `tips`: branch → new tip oid, or undefined for a branch that is gone. */
export function patchRefs(snapshot: CatalogSnapshot, tips: ReadonlyMap<string, string | undefined>): RepositoryRefs {
  const defaultBranch = snapshot.defaultBranch;
  const onlyMoves = [...tips].every(([name, oid]) => oid !== undefined && (snapshot.branches.has(name) || name === defaultBranch?.name));
  if (onlyMoves) return { defaultBranch: defaultBranch?.name, branches: movedTips(snapshot, tips) };
  const byName = new Map<string, string>();
  if (snapshot.defaultBranch !== undefined) byName.set(snapshot.defaultBranch.name, snapshot.defaultBranch.oid);
  for (const [name, record] of snapshot.branches) byName.set(name, record.oid);
  for (const [name, oid] of tips) {
    if (oid === undefined) byName.delete(name);
    else byName.set(name, oid);
  }
  const branches: BranchRef[] = [...byName].map(([name, oid]) => ({ name, oid }));
  branches.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { defaultBranch: snapshot.defaultBranch?.name, branches };
}

/** The common case, a push to existing branches: the snapshot's branches are already in order, so no sort. */
function movedTips(snapshot: CatalogSnapshot, tips: ReadonlyMap<string, string | undefined>): BranchRef[] {
  const branches = [...snapshot.branches.values()].map((record) => ({ name: record.name, oid: tips.get(record.name) ?? record.oid }));
  const main = snapshot.defaultBranch;
  if (main !== undefined) {
    const at = branches.findIndex((branch) => branch.name > main.name);
    branches.splice(at === -1 ? branches.length : at, 0, { name: main.name, oid: tips.get(main.name) ?? main.oid });
  }
  return branches;
}
