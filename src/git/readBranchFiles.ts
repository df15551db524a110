// readBranchFiles: one commit of a catalog repository — its metadata, its
// top-level tree entries, the contents of the requested top-level files, and
// a listing of the whole tree with blob sizes (what the layout rules judge).
// The listing is bounded: a hostile branch cannot make us read without end.

import { readBlob, readCommit, readTree } from 'isomorphic-git';
import type { BranchFiles, CatalogRepository, CommitInfo, TreeEntryInfo, TreeFile } from './types.js';

/** A worker branch holds a handful of files; more than this is refused by validation, not read. */
export const MAX_TREE_ENTRIES = 500;
const MAX_TREE_DEPTH = 8;

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

  const listing = await listTree(repo, entries, files);

  const info: CommitInfo = {
    oid,
    treeOid: commit.tree,
    time: commit.committer.timestamp,
    author: { name: commit.author.name, email: commit.author.email },
    message: commit.message,
  };
  return { commit: info, entries, files, tree: listing.tree, treeTruncated: listing.truncated };
}

/** Every entry below the root, breadth first; blob sizes from the bytes already read or read now. */
async function listTree(
  repo: CatalogRepository,
  top: readonly TreeEntryInfo[],
  topFiles: ReadonlyMap<string, Uint8Array>,
): Promise<{ tree: TreeFile[]; truncated: boolean }> {
  const { fs, gitdir, cache } = repo;
  const tree: TreeFile[] = [];
  let level: Array<{ entry: TreeEntryInfo; depth: number }> = top.map((entry) => ({ entry, depth: 1 }));
  while (level.length > 0) {
    const next: Array<{ entry: TreeEntryInfo; depth: number }> = [];
    for (const { entry, depth } of level) {
      if (tree.length >= MAX_TREE_ENTRIES) return { tree, truncated: true };
      if (entry.type === 'blob') {
        const known = topFiles.get(entry.path);
        const size = known?.byteLength ?? (await readBlob({ fs, gitdir, cache, oid: entry.oid })).blob.byteLength;
        tree.push({ ...entry, size });
        continue;
      }
      tree.push(entry);
      if (entry.type !== 'tree' || depth >= MAX_TREE_DEPTH) continue;
      const { tree: children } = await readTree({ fs, gitdir, cache, oid: entry.oid });
      for (const child of children) {
        next.push({ entry: { path: `${entry.path}/${child.path}`, mode: child.mode, type: child.type, oid: child.oid }, depth: depth + 1 });
      }
    }
    level = next;
  }
  return { tree, truncated: false };
}

/** git compares tree entry names as UTF-8 bytes. */
function treeSortKey(entry: TreeEntryInfo): Buffer {
  return Buffer.from(entry.type === 'tree' ? `${entry.path}/` : entry.path, 'utf8');
}
