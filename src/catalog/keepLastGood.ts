// keepLastGood: the AUR never loses a package to a bad push, and neither do
// we. When a branch's new tip fails validation but an earlier snapshot served
// it, the earlier workers stay served and the new tip is recorded as rejected.

import type { BranchRecord } from './branchRecord.js';

export function keepLastGood(fresh: BranchRecord, previous: BranchRecord | undefined): BranchRecord {
  if (fresh.workers.length > 0 || previous === undefined || previous.workers.length === 0) return fresh;
  return {
    name: fresh.name,
    oid: fresh.oid,
    commit: previous.commit,
    workers: previous.workers,
    problems: previous.problems,
    rejected: { oid: fresh.oid, commit: fresh.commit, problems: fresh.problems },
  };
}
