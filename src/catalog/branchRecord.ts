// What indexing one branch at one commit produces. Records are immutable and
// keyed by (branch, commit oid), so a rebuild reuses every branch that did
// not move without reading it again.

import type { CommitInfo } from '../git/types.js';
import type { WorkerMetadata } from '../parse/metadata.js';
import type { Srcinfo, SrcinfoFields } from '../parse/srcinfo.js';
import type { Problem } from './problem.js';

/** A file served verbatim from a branch; its blob oid doubles as a strong ETag. */
export interface BranchFile {
  readonly bytes: Uint8Array;
  readonly oid: string;
}

export interface WorkerRecord {
  readonly id: string;
  readonly branch: string;
  readonly commit: CommitInfo;
  readonly version: string;
  readonly metadata: WorkerMetadata;
  readonly srcinfo: Srcinfo;
  /** The effective .SRCINFO fields of the package named after the branch. */
  readonly fields: SrcinfoFields;
  /** PKGBUILD, .SRCINFO, metadata.json and, when present, README.md. */
  readonly files: ReadonlyMap<string, BranchFile>;
  /** Warnings only: a record exists only when the branch had no errors. */
  readonly problems: readonly Problem[];
}

/** A branch tip that failed validation while an older good commit stays served. */
export interface RejectedCommit {
  readonly oid: string;
  readonly commit: CommitInfo | undefined;
  readonly problems: readonly Problem[];
}

export interface BranchRecord {
  readonly name: string;
  /** Commit oid of the branch tip that was indexed (the rejected one, when `rejected` is set). */
  readonly oid: string;
  /** Undefined when the branch could not be read at all. */
  readonly commit: CommitInfo | undefined;
  /** The workers this branch yields: one today, more once worker.toml expands variants. */
  readonly workers: readonly WorkerRecord[];
  readonly problems: readonly Problem[];
  /** Set when the tip failed validation and `workers` are the last good version, from an older commit. */
  readonly rejected?: RejectedCommit;
}
