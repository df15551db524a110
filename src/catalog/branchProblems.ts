// branchProblems: one branch's problem report, what a maintainer reads after
// a push — the served commit's problems (warnings, or the errors that keep a
// never-good branch out) and those of a rejected newer commit. Serialised
// once per record: records are reused across snapshots while a branch does
// not move, so the report is too.

import type { BranchRecord } from './branchRecord.js';
import { jsonBody, type CachedBody } from './cachedBody.js';

const reports = new WeakMap<BranchRecord, CachedBody>();

export function branchProblems(record: BranchRecord): CachedBody {
  let report = reports.get(record);
  if (report === undefined) {
    report = jsonBody({
      branch: record.name,
      served: record.workers.length > 0,
      commit: record.commit?.oid ?? record.oid,
      problems: record.problems,
      rejectedNewerCommit: record.rejected === undefined ? null : {
        oid: record.rejected.oid,
        time: record.rejected.commit === undefined ? null : new Date(record.rejected.commit.time * 1000).toISOString(),
        problems: record.rejected.problems,
      },
    });
    reports.set(record, report);
  }
  return report;
}
