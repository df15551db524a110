// The shapes the git layer hands to the rest of the service. Everything above
// src/git/ sees repositories only through these; nothing above it imports
// isomorphic-git.

import type { PromiseFsClient } from 'isomorphic-git';
import type { BranchSelection } from './branchSelection.js';

/** Where a catalog repository lives and how to read it. */
export interface CatalogRepository {
  /** `local`: a repository read in place; `mirror`: our clone of an http(s) remote. */
  readonly kind: 'local' | 'mirror';
  readonly fs: PromiseFsClient;
  /** The git directory (a bare repository or a work tree's `.git`). */
  readonly gitdir: string;
  /** One long-lived isomorphic-git cache shared by every read of this gitdir. */
  readonly cache: object;
  /** Where branch refs live: `refs/heads/` for a local repo, `refs/remotes/origin/` for a mirror. */
  readonly refPrefix: 'refs/heads/' | 'refs/remotes/origin/';
  /** The remote URL a mirror follows; undefined for a local repository. */
  readonly url?: string;
  /** Which branches are the catalog's (readRepositoryRefs applies it); absent: every branch. */
  readonly selection?: BranchSelection;
}

export interface BranchRef {
  /** Branch name without its prefix, e.g. `llm-worker-rbee-cpu`. Unvalidated: it came from the repository. */
  readonly name: string;
  /** Commit oid of the branch tip. */
  readonly oid: string;
}

export interface RepositoryRefs {
  /** The branch HEAD points at (`master`/`main`), when it resolves. */
  readonly defaultBranch: string | undefined;
  /** Every branch except HEAD itself, sorted by name. */
  readonly branches: readonly BranchRef[];
}

export interface CommitInfo {
  readonly oid: string;
  readonly treeOid: string;
  /** Committer time, seconds since the epoch. */
  readonly time: number;
  readonly author: { readonly name: string; readonly email: string };
  readonly message: string;
}

export interface TreeEntryInfo {
  readonly path: string;
  /** Git file mode as octal text, e.g. `100644`, `040000`. */
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly oid: string;
}

/** One entry anywhere in a commit's tree; `path` is `/`-joined from the root. */
export interface TreeFile extends TreeEntryInfo {
  /** Bytes, for blobs. */
  readonly size?: number;
}

export interface BranchFiles {
  readonly commit: CommitInfo;
  /** Top-level entries of the commit's tree, in tree order. */
  readonly entries: readonly TreeEntryInfo[];
  /** Every entry of the tree, breadth first, at most MAX_TREE_ENTRIES (readBranchFiles). */
  readonly tree: readonly TreeFile[];
  /** True when the tree held more entries than were listed. */
  readonly treeTruncated: boolean;
  /** Contents of the requested top-level blobs that exist; absent names are simply missing. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}
