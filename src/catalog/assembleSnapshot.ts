// The parts buildSnapshot (every branch) and patchSnapshot (a few branches)
// share: serving a worker record as its prebuilt responses, and assembling
// the immutable snapshot whose catalog-wide views are built on first use.

import { createHash } from 'node:crypto';
import type { BranchRef, CommitInfo } from '../git/types.js';
import type { BranchRecord, RejectedCommit, WorkerRecord } from './branchRecord.js';
import { fileBody, jsonBody, jsonListBody, lazyBody, type CachedBody } from './cachedBody.js';
import { cloneInfo } from './cloneInfo.js';
import { legacyEntry } from './legacyEntry.js';
import { perObject } from './perObject.js';
import type { CatalogSnapshot, ServedWorker } from './snapshot.js';
import { SortedChunkMap } from './sortedChunkMap.js';
import { v1Entry } from './v1Entry.js';

const FILE_TYPES: Readonly<Record<string, string>> = {
  PKGBUILD: 'text/plain; charset=utf-8',
  '.SRCINFO': 'text/plain; charset=utf-8',
  'metadata.json': 'application/json; charset=utf-8',
  'README.md': 'text/markdown; charset=utf-8',
};

/** Every response about one worker, serialised now; reused as long as the record is. */
export function serveWorker(worker: WorkerRecord, rejected: RejectedCommit | undefined, gitUrl: string): ServedWorker {
  const changed = commitDate(worker.commit);
  const files = new Map<string, CachedBody>();
  for (const [name, file] of worker.files) files.set(name, fileBody(file, FILE_TYPES[name] ?? 'application/octet-stream', changed));
  return {
    record: worker,
    rejected,
    legacy: jsonBody(legacyEntry(worker), changed),
    v1: jsonBody(v1Entry(worker, gitUrl, rejected), changed),
    cloneUrl: jsonBody(cloneInfo(gitUrl, worker.branch), changed),
    files,
  };
}

/** The served form of a branch's workers: the previous one when neither the record nor its rejection changed. */
export function servedWorkerFor(worker: WorkerRecord, branch: BranchRecord, previous: ServedWorker | undefined, gitUrl: string): ServedWorker {
  return previous?.record === worker && previous.rejected === branch.rejected ? previous : serveWorker(worker, branch.rejected, gitUrl);
}

export interface SnapshotParts {
  readonly builtAt: Date;
  readonly defaultBranch: BranchRef | undefined;
  /** Every worker branch, in any order. */
  readonly branches: ReadonlyMap<string, BranchRecord>;
  /** Served workers, in any order. */
  readonly workers: ReadonlyMap<string, ServedWorker>;
}

export function assembleSnapshot(parts: SnapshotParts): CatalogSnapshot {
  const { builtAt, defaultBranch } = parts;
  // Sorted chunks a patch can share (see SortedChunkMap); given as such by patchSnapshot, they are kept as they are.
  const branches = SortedChunkMap.from(parts.branches);
  const workers = SortedChunkMap.from(parts.workers);
  let id: string | undefined;
  return {
    get id() {
      return (id ??= snapshotId(defaultBranch, branches));
    },
    builtAt,
    defaultBranch,
    branches,
    workers,
    // Views of the whole catalog are built when first asked for (see lazyBody).
    // Their Last-Modified is when this snapshot was built, not the newest
    // commit: removing a worker changes the list without a newer commit, and
    // an If-Modified-Since 304 must never keep a client on a stale list.
    legacyList: lazyBody(() => jsonListBody('workers', [...workers.values()].map((served) => served.legacy), {}, builtAt)),
    v1List: lazyBody(() => jsonListBody('workers', [...workers.values()].map((served) => served.v1), { total: workers.size }, builtAt)),
    problems: lazyBody(() => jsonBody(problemReport(branches))),
  };
}

/** A commit's time as a Date (git keeps whole seconds). */
export function commitDate(commit: CommitInfo): Date {
  return new Date(commit.time * 1000);
}

function problemReport(branches: ReadonlyMap<string, BranchRecord>): unknown {
  const entries = [...branches.values()].flatMap(problemEntries);
  return { branches: entries, total: entries.length };
}

const NO_ENTRIES: readonly unknown[] = [];

/** One branch's entries in the problem report (none, one or two), kept with its record. */
const problemEntries = perObject((branch: BranchRecord): readonly unknown[] => {
  if (branch.rejected === undefined && branch.problems.length === 0) return NO_ENTRIES;
  const entries: unknown[] = [];
  if (branch.rejected !== undefined) {
    // The newest commit is refused; an older good commit is what is served.
    entries.push({ branch: branch.name, commit: branch.rejected.oid, served: false, rejectedNewerCommit: true, servedCommit: branch.commit?.oid ?? null, problems: branch.rejected.problems });
  }
  if (branch.problems.length > 0) {
    entries.push({ branch: branch.name, commit: branch.commit?.oid ?? branch.oid, served: branch.workers.length > 0, rejectedNewerCommit: false, problems: branch.problems });
  }
  return entries;
});

/** A digest of every branch name and tip, default branch included, in name order. */
function snapshotId(defaultBranch: BranchRef | undefined, branches: ReadonlyMap<string, BranchRecord>): string {
  const lines = [...branches.values()].map((branch) => `${branch.name} ${branch.oid}\n`);
  if (defaultBranch !== undefined) lines.push(`${defaultBranch.name} ${defaultBranch.oid}\n`);
  lines.sort();
  // One update of one string: per-ref updates cost more than the hashing itself at 10,000 refs.
  return createHash('sha256').update(lines.join('')).digest('hex').slice(0, 16);
}
