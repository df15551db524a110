// WorkerHistory: the port through which routes reach a worker branch's
// history — its versions, the files of one version, a snapshot archive of a
// commit. Routes never touch git; gitWorkerHistory is the implementation over
// a catalog repository, and tests may give any other.

export type HistoryReason = 'HISTORY_SHALLOW' | 'HISTORY_MISSING_OBJECTS' | 'HISTORY_TRUNCATED';

export interface WorkerVersion {
  /** `[epoch:]pkgver-pkgrel` as the commit's .SRCINFO gives it. */
  readonly version: string;
  /** The newest commit that carries this version. */
  readonly commit: string;
  /** Committer time of that commit, seconds since the epoch. */
  readonly time: number;
  /** Whether that commit passes the same indexing the service serves from. */
  readonly valid: boolean;
  /** Codes of the errors that made it invalid; empty when valid. */
  readonly problems: readonly string[];
}

export interface WorkerVersions {
  readonly branch: string;
  /** The branch tip the walk started from. */
  readonly tip: string;
  /** Newest first, one per distinct version. */
  readonly versions: readonly WorkerVersion[];
  /** Commits walked (at most `maxCommits`). */
  readonly commitsRead: number;
  /** Commits whose .SRCINFO yields no version (missing or unreadable). */
  readonly unversionedCommits: number;
  readonly maxCommits: number;
  readonly complete: boolean;
  readonly reason: HistoryReason | undefined;
}

export interface HistoryFile {
  readonly bytes: Uint8Array;
  /** The blob oid: it names these exact bytes. */
  readonly oid: string;
}

export interface SnapshotArchive {
  /** The .tar.gz file. */
  readonly bytes: Buffer;
  readonly sha256: Buffer;
  readonly commit: string;
  /** The one top folder every entry lives under. */
  readonly folder: string;
  /** Committer time, seconds since the epoch: every entry's mtime. */
  readonly time: number;
}

/** Why an answer could not be given (`unavailable`: no repository to read yet); routes turn these into HTTP answers. */
export type HistoryFailure =
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'missing-objects' }
  | { readonly kind: 'too-large'; readonly detail: string }
  | { readonly kind: 'unsafe-path'; readonly detail: string };

export interface WorkerHistory {
  /** The branch's distinct versions, walking back from `tipOid`. */
  versions(options: { readonly branch: string; readonly tipOid: string }): Promise<WorkerVersions | HistoryFailure>;
  /** A top-level file at a commit; undefined when the commit has no such file. */
  file(options: { readonly commitOid: string; readonly name: string }): Promise<HistoryFile | undefined | HistoryFailure>;
  /** The reproducible .tar.gz of a commit's tree, every entry under `folder/`. */
  snapshot(options: { readonly commitOid: string; readonly folder: string }): Promise<SnapshotArchive | HistoryFailure>;
}

export function isHistoryFailure(value: unknown): value is HistoryFailure {
  return typeof value === 'object' && value !== null && 'kind' in value;
}
