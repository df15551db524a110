// patchRefs: the refs of a snapshot with some branch tips changed — what a
// push costs to describe, instead of re-reading every ref of a large catalog.

import type { CatalogSnapshot } from '../catalog/snapshot.js';
import type { BranchRef, RepositoryRefs } from '../git/types.js';

/** `tips`: branch → new tip oid, or undefined for a branch that is gone. */
export function patchRefs(snapshot: CatalogSnapshot, tips: ReadonlyMap<string, string | undefined>): RepositoryRefs {
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
