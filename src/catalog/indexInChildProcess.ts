// indexInChildProcess: a whole index from git, run in a child process that
// writes it as the saved index and exits; the service then starts from that
// file as it does on a warm restart. Why a process: indexing 10,000 branches
// allocates the records, file bytes and served bodies of every branch as it
// goes, and once those are replaced, the memory they held stays resident —
// fragmented glibc heap that neither V8's collections nor trimming gives back
// (a cold-started service settled at ~440 MB, one started from the same index
// saved at ~205 MB). A process (runInChildProcess) hands all of it back when
// it exits. The child only reads the repository and writes the saved-index
// file (atomically, as the saver does); it never serves, and nothing it
// holds outlives it.

import { runInChildProcess } from '../childProcess/runInChildProcess.js';
import type { BranchSelection } from '../git/branchSelection.js';
import type { CatalogRepository } from '../git/types.js';

/** What the child needs to open the repository, index it and save it: plain data, sent over the IPC channel. */
export interface ChildIndexRequest {
  readonly repo: {
    readonly kind: CatalogRepository['kind'];
    readonly gitdir: string;
    readonly refPrefix: CatalogRepository['refPrefix'];
    readonly url?: string | undefined;
    readonly selection?: BranchSelection | undefined;
  };
  readonly gitUrl: string;
  readonly serviceVersion: string;
  /** repositoryIdentity of the parent's repository: what the saved index says it belongs to. */
  readonly repository: string;
  /** The saved-index file to write (savedIndexPath). */
  readonly file: string;
}

/** What the child did, for the log and the cold-index measurement. */
export interface ChildIndexResult {
  readonly branches: number;
  readonly workers: number;
  /** Reading and indexing every branch (buildSnapshot). */
  readonly indexMs: number;
  /** Encoding and writing the saved index. */
  readonly saveMs: number;
  readonly savedBytes: number;
  /** The child's peak resident set (its maxRSS): memory the service itself never holds. */
  readonly peakRssBytes: number;
}

/** The request for `repo`: the fields of a repository that are data (its fs and cache are the child's own). */
export function childIndexRequest(repo: CatalogRepository, rest: Omit<ChildIndexRequest, 'repo'>): ChildIndexRequest {
  const { kind, gitdir, refPrefix, url, selection } = repo;
  return { repo: { kind, gitdir, refPrefix, url, selection }, ...rest };
}

/** Rejects with ChildProcessError when the child fails or dies. */
export function indexInChildProcess(request: ChildIndexRequest): Promise<ChildIndexResult> {
  return runInChildProcess({ beside: import.meta.url, name: 'indexInChildProcessMain', role: 'indexing' }, request);
}
