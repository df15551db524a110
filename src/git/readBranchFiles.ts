// readBranchFiles: one commit of a catalog repository — its metadata, its
// top-level tree entries and the contents of the requested top-level files.

import { readBlob, readCommit, readTree } from 'isomorphic-git';
import type { BranchFiles, CatalogRepository, CommitInfo, TreeEntryInfo } from './types.js';

export interface ReadBranchFilesOptions {
  readonly commitOid: string;
  /** Top-level file names to read; any that are missing or are folders are left out of `files`. */
  readonly names: readonly string[];
}

export async function readBranchFiles(repo: CatalogRepository, options: ReadBranchFilesOptions): Promise<BranchFiles> {
  const { fs, gitdir, cache } = repo;
  const { commit, oid } = await readCommit({ fs, gitdir, cache, oid: options.commitOid });
  const { tree } = await readTree({ fs, gitdir, cache, oid: commit.tree });
  const entries: TreeEntryInfo[] = tree
    .map((entry) => ({ path: entry.path, mode: entry.mode, type: entry.type, oid: entry.oid }))
    // isomorphic-git hands entries back in readdir order; git's tree order sorts
    // a folder as if its name ended in '/', which differs for names like `a` vs `a.b`.
    .sort((a, b) => Buffer.compare(treeSortKey(a), treeSortKey(b)));

  const wanted = new Set(options.names);
  const blobs = entries.filter((entry) => entry.type === 'blob' && wanted.has(entry.path));
  const contents = await Promise.all(blobs.map(async (entry) => (await readBlob({ fs, gitdir, cache, oid: entry.oid })).blob));
  const files = new Map<string, Uint8Array>();
  blobs.forEach((entry, index) => files.set(entry.path, contents[index]!));

  const info: CommitInfo = {
    oid,
    treeOid: commit.tree,
    time: commit.committer.timestamp,
    author: { name: commit.author.name, email: commit.author.email },
    message: commit.message,
  };
  return { commit: info, entries, files };
}

/** git compares tree entry names as UTF-8 bytes. */
function treeSortKey(entry: TreeEntryInfo): Buffer {
  return Buffer.from(entry.type === 'tree' ? `${entry.path}/` : entry.path, 'utf8');
}
