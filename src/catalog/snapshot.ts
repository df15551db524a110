// CatalogSnapshot: the immutable index every response is read from. A new
// snapshot replaces the old one whole, so a request sees one or the other,
// never a mix.

import type { BranchRecord, RejectedCommit, WorkerRecord } from './branchRecord.js';
import type { CachedBody } from './cachedBody.js';

/** Every response about one worker, serialised when the snapshot was built. */
export interface ServedWorker {
  readonly record: WorkerRecord;
  /** The newer commit of the worker's branch that was rejected, if any; it is part of the v1 answer. */
  readonly rejected: RejectedCommit | undefined;
  readonly legacy: CachedBody;
  readonly v1: CachedBody;
  readonly cloneUrl: CachedBody;
  /** Raw branch files by name (PKGBUILD, .SRCINFO, metadata.json, README.md). */
  readonly files: ReadonlyMap<string, CachedBody>;
}

export interface CatalogSnapshot {
  /** A digest of every branch name and tip: equal ids mean an identical catalog. */
  readonly id: string;
  readonly builtAt: Date;
  readonly defaultBranch: { readonly name: string; readonly oid: string } | undefined;
  /** Every worker branch, served or not, by name. */
  readonly branches: ReadonlyMap<string, BranchRecord>;
  /** Served workers by id, in id order. */
  readonly workers: ReadonlyMap<string, ServedWorker>;
  readonly legacyList: CachedBody;
  readonly v1List: CachedBody;
  readonly problems: CachedBody;
}
