// readBranchFiles: one commit of a catalog repository — its metadata, its
// top-level tree entries, the contents of the requested top-level files, and
// a listing of the whole tree with blob sizes (what the layout rules judge).
// The listing is bounded: a hostile branch cannot make us read without end.
// Given an ObjectReader (packObjectReader), objects come from it; anything it
// cannot serve, or that isomorphic-git would read differently, sends the
// whole branch through isomorphic-git, so the result never depends on the path.

import { readBlob, readCommit, readTree } from 'isomorphic-git';
import type { ObjectReader } from './packObjectReader.js';
import { parseCommit, parseTree } from './parseGitObjects.js';
import type { BranchFiles, CatalogRepository, CommitInfo, TreeEntryInfo, TreeFile } from './types.js';

/** A worker branch holds a handful of files; more than this is refused by validation, not read. */
export const MAX_TREE_ENTRIES = 500;
const MAX_TREE_DEPTH = 8;

export interface ReadBranchFilesOptions {
  readonly commitOid: string;
  /** Top-level file names to read; any that are missing or are folders are left out of `files`. */
  readonly names: readonly string[];
  /** Reads objects without isomorphic-git where it can (a whole-catalog index opens one). */
  readonly objects?: ObjectReader;
}

export async function readBranchFiles(repo: CatalogRepository, options: ReadBranchFilesOptions): Promise<BranchFiles> {
  const fast = options.objects === undefined ? undefined : readBranchFilesFromObjects(options.objects, options);
  if (fast !== undefined) return fast;
  const { fs, gitdir, cache } = repo;
  const { commit, oid } = await readCommit({ fs, gitdir, cache, oid: options.commitOid });
  const { tree } = await readTree({ fs, gitdir, cache, oid: commit.tree });
  // isomorphic-git hands entries back in readdir order; git's tree order sorts
  // a folder as if its name ended in '/', which differs for names like `a` vs `a.b`.
  const entries = sortedBy(tree.map((entry) => ({ path: entry.path, mode: entry.mode, type: entry.type, oid: entry.oid })), treeSortKey);

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

/**
 * readBranchFiles from an ObjectReader alone, synchronously (an indexer thread
 * reads this way); undefined when any object needs isomorphic-git.
 */
export function readBranchFilesFromObjects(objects: ObjectReader, options: Omit<ReadBranchFilesOptions, 'objects'>): BranchFiles | undefined {
  const commitObject = objects.read(options.commitOid);
  if (commitObject?.type !== 'commit') return undefined;
  const commit = parseCommit(options.commitOid, commitObject.bytes);
  const entries = commit === undefined ? undefined : readTreeFrom(objects, commit.treeOid);
  if (commit === undefined || entries === undefined) return undefined;
  sortedBy(entries, treeSortKey);

  const wanted = new Set(options.names);
  const files = new Map<string, Uint8Array>();
  for (const entry of entries) {
    if (entry.type !== 'blob' || !wanted.has(entry.path)) continue;
    const blob = readBlobFrom(objects, entry.oid);
    if (blob === undefined) return undefined;
    files.set(entry.path, blob);
  }

  const tree: TreeFile[] = [];
  let level: Array<{ entry: TreeEntryInfo; depth: number }> = entries.map((entry) => ({ entry, depth: 1 }));
  while (level.length > 0) {
    const next: Array<{ entry: TreeEntryInfo; depth: number }> = [];
    for (const { entry, depth } of level) {
      if (tree.length >= MAX_TREE_ENTRIES) return { commit, entries, files, tree, treeTruncated: true };
      if (entry.type === 'blob') {
        const size = files.get(entry.path)?.byteLength ?? readBlobFrom(objects, entry.oid)?.byteLength;
        if (size === undefined) return undefined;
        tree.push({ ...entry, size });
        continue;
      }
      tree.push(entry);
      if (entry.type !== 'tree' || depth >= MAX_TREE_DEPTH) continue;
      const children = readTreeFrom(objects, entry.oid);
      if (children === undefined) return undefined;
      for (const child of children) {
        next.push({ entry: { path: `${entry.path}/${child.path}`, mode: child.mode, type: child.type, oid: child.oid }, depth: depth + 1 });
      }
    }
    level = next;
  }
  return { commit, entries, files, tree, treeTruncated: false };
}

/**
 * A tree's entries in the order isomorphic-git's readTree returns them (by
 * name as JavaScript strings, a stable sort); listTree walks children in it.
 */
function readTreeFrom(objects: ObjectReader, oid: string): TreeEntryInfo[] | undefined {
  const object = objects.read(oid);
  const entries = object?.type === 'tree' ? parseTree(object.bytes) : undefined;
  return entries === undefined ? undefined : sortedBy(entries, readdirSortKey);
}

/** A copy, as isomorphic-git's readBlob hands out: served bytes never share memory with the reader's caches. */
function readBlobFrom(objects: ObjectReader, oid: string): Uint8Array | undefined {
  const object = objects.read(oid);
  return object?.type === 'blob' ? new Uint8Array(object.bytes) : undefined;
}

/** `entries` sorted in place by their keys' bytes, each key made once rather than twice per comparison (a stable sort, as Array#sort is). */
function sortedBy(entries: TreeEntryInfo[], keyOf: (entry: TreeEntryInfo) => Buffer): TreeEntryInfo[] {
  const keyed = entries.map((entry) => ({ entry, key: keyOf(entry) }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  keyed.forEach(({ entry }, index) => { entries[index] = entry; });
  return entries;
}

/**
 * isomorphic-git's compareStrings: code point order. Names decoded from UTF-8
 * hold no lone surrogates, so that is the order of their UTF-8 bytes.
 */
function readdirSortKey(entry: TreeEntryInfo): Buffer {
  return Buffer.from(entry.path, 'utf8');
}

/** git compares tree entry names as UTF-8 bytes. */
function treeSortKey(entry: TreeEntryInfo): Buffer {
  return Buffer.from(entry.type === 'tree' ? `${entry.path}/` : entry.path, 'utf8');
}
