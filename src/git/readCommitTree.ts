// readCommitTree: every entry of a commit's tree with the bytes of its blobs,
// for building a snapshot archive. Bounded in entries, total blob bytes and
// depth: past any bound it throws TreeTooLargeError instead of reading on.

import { readBlob, readCommit, readTree } from 'isomorphic-git';
import { TreeTooLargeError } from './treeTooLargeError.js';
import type { CatalogRepository } from './types.js';

export interface CommitTreeEntry {
  /** `/`-joined from the root of the tree. */
  readonly path: string;
  /** Git file mode as octal text: `100644`, `100755`, `120000`, `040000`, `160000`. */
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly oid: string;
  /** The blob's bytes (a symlink's target, for mode 120000); absent for trees and submodules. */
  readonly bytes?: Uint8Array;
}

export interface CommitTree {
  readonly commitOid: string;
  /** Committer time, seconds since the epoch. */
  readonly time: number;
  /** Every entry, parents before children, in no particular order otherwise. */
  readonly entries: readonly CommitTreeEntry[];
}

export interface ReadCommitTreeOptions {
  readonly commitOid: string;
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly maxDepth: number;
}

export async function readCommitTree(repo: CatalogRepository, options: ReadCommitTreeOptions): Promise<CommitTree> {
  const { fs, gitdir, cache } = repo;
  const { commitOid, maxEntries, maxBytes, maxDepth } = options;
  const tooLarge = (limit: 'entries' | 'bytes' | 'depth', max: number): TreeTooLargeError => new TreeTooLargeError({ commitOid, limit, max });
  const { commit } = await readCommit({ fs, gitdir, cache, oid: commitOid });
  const entries: CommitTreeEntry[] = [];
  let bytes = 0;
  const folders: Array<{ oid: string; prefix: string; depth: number }> = [{ oid: commit.tree, prefix: '', depth: 0 }];
  for (let folder = folders.shift(); folder !== undefined; folder = folders.shift()) {
    const { tree } = await readTree({ fs, gitdir, cache, oid: folder.oid });
    if (entries.length + tree.length > maxEntries) throw tooLarge('entries', maxEntries);
    for (const entry of tree) {
      const path = `${folder.prefix}${entry.path}`;
      if (entry.type === 'tree') {
        if (folder.depth + 1 >= maxDepth) throw tooLarge('depth', maxDepth);
        entries.push({ path, mode: entry.mode, type: 'tree', oid: entry.oid });
        folders.push({ oid: entry.oid, prefix: `${path}/`, depth: folder.depth + 1 });
      } else if (entry.type === 'blob') {
        const { blob } = await readBlob({ fs, gitdir, cache, oid: entry.oid });
        bytes += blob.byteLength;
        if (bytes > maxBytes) throw tooLarge('bytes', maxBytes);
        entries.push({ path, mode: entry.mode, type: 'blob', oid: entry.oid, bytes: blob });
      } else {
        entries.push({ path, mode: entry.mode, type: 'commit', oid: entry.oid });
      }
    }
  }
  return { commitOid, time: commit.committer.timestamp, entries };
}
