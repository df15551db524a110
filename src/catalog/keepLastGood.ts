// keepLastGood: the AUR never loses a package to a bad push, and neither do
// we. When a branch's new tip fails validation but an earlier snapshot served
// it, the earlier workers stay served and the new tip is recorded as rejected.
// Every freshly indexed record passes through here on its way into a
// snapshot, which is why a served one is also where its strings are shared
// (sharedStrings): it is kept for as long as the branch does not move.

import type { BranchRecord } from './branchRecord.js';
import { shareBranchStrings } from './sharedStrings.js';

export function keepLastGood(fresh: BranchRecord, previous: BranchRecord | undefined): BranchRecord {
  if (fresh.workers.length > 0) return shareBranchStrings(fresh);
  if (previous === undefined || previous.workers.length === 0) return fresh;
  return {
    name: fresh.name,
    oid: fresh.oid,
    commit: previous.commit,
    workers: previous.workers,
    problems: previous.problems,
    rejected: { oid: fresh.oid, commit: fresh.commit, problems: fresh.problems },
  };
}
