// readBranchHistory: the commits reachable from a branch tip, newest first
// (by committer time, as `git log` lists them), at most `maxCommits`. It
// never fails on an incomplete repository: a shallow mirror or objects that
// are missing end the walk there, and the answer says why it is incomplete.

import path from 'node:path';
import { readCommit } from 'isomorphic-git';
import { typedFs } from './gitFs.js';
import { isMissingObject } from './isMissingObject.js';
import type { CatalogRepository } from './types.js';

export interface HistoryCommit {
  readonly oid: string;
  readonly treeOid: string;
  /** Committer time, seconds since the epoch. */
  readonly time: number;
  readonly parents: readonly string[];
}

export type HistoryGap = 'HISTORY_SHALLOW' | 'HISTORY_MISSING_OBJECTS' | 'HISTORY_TRUNCATED';

export interface BranchHistory {
  /** Newest first; ties in time broken by oid so the order is stable. */
  readonly commits: readonly HistoryCommit[];
  readonly complete: boolean;
  /** Why the walk stopped early: the first gap met, truncation last (it hides nothing else). */
  readonly reason: HistoryGap | undefined;
}

/** Where already-read commits are kept between walks; commits never change, so any cache will do. */
export interface CommitCache {
  get(oid: string): HistoryCommit | undefined;
  set(oid: string, commit: HistoryCommit): void;
}

export interface ReadBranchHistoryOptions {
  readonly tipOid: string;
  readonly maxCommits: number;
  readonly commits?: CommitCache;
}

export async function readBranchHistory(repo: CatalogRepository, options: ReadBranchHistoryOptions): Promise<BranchHistory> {
  const { tipOid, maxCommits } = options;
  const shallow = await readShallowCommits(repo);
  const read = (oid: string): Promise<HistoryCommit | undefined> => readHistoryCommit(repo, oid, options.commits);
  const result: HistoryCommit[] = [];
  const seen = new Set<string>([tipOid]);
  let reason: HistoryGap | undefined;
  const frontier: HistoryCommit[] = [];
  const tip = await read(tipOid);
  if (tip === undefined) return { commits: [], complete: false, reason: 'HISTORY_MISSING_OBJECTS' };
  frontier.push(tip);
  while (frontier.length > 0) {
    if (result.length >= maxCommits) {
      reason ??= 'HISTORY_TRUNCATED';
      break;
    }
    const commit = takeNewest(frontier);
    result.push(commit);
    // git treats a shallow commit as having no parents: its parents' objects are not here.
    if (shallow.has(commit.oid) && commit.parents.length > 0) {
      reason ??= 'HISTORY_SHALLOW';
      continue;
    }
    for (const parentOid of commit.parents) {
      if (seen.has(parentOid)) continue;
      seen.add(parentOid);
      const parent = await read(parentOid);
      if (parent === undefined) reason ??= 'HISTORY_MISSING_OBJECTS';
      else frontier.push(parent);
    }
  }
  return { commits: result, complete: reason === undefined, reason };
}

/** The commit, or undefined when its object is not in the repository. */
async function readHistoryCommit(repo: CatalogRepository, oid: string, cache: CommitCache | undefined): Promise<HistoryCommit | undefined> {
  const known = cache?.get(oid);
  if (known !== undefined) return known;
  try {
    const { fs, gitdir } = repo;
    const { commit } = await readCommit({ fs, gitdir, cache: repo.cache, oid });
    const read: HistoryCommit = { oid, treeOid: commit.tree, time: commit.committer.timestamp, parents: commit.parent };
    cache?.set(oid, read);
    return read;
  } catch (error) {
    if (isMissingObject(error)) return undefined;
    throw error;
  }
}

/** Removes and returns the newest commit of the frontier (it stays small: one entry per open line of history). */
function takeNewest(frontier: HistoryCommit[]): HistoryCommit {
  let best = 0;
  for (let index = 1; index < frontier.length; index += 1) {
    const candidate = frontier[index]!;
    const current = frontier[best]!;
    if (candidate.time > current.time || (candidate.time === current.time && candidate.oid < current.oid)) best = index;
  }
  return frontier.splice(best, 1)[0]!;
}

/** The commits a shallow clone cut history at (`<gitdir>/shallow`, one oid a line). */
async function readShallowCommits(repo: CatalogRepository): Promise<ReadonlySet<string>> {
  const text = await typedFs(repo.fs).readTextIfExists(path.join(repo.gitdir, 'shallow'));
  if (text === undefined) return new Set();
  return new Set(text.split('\n').map((line) => line.trim()).filter((line) => /^[0-9a-f]{40}$/.test(line)));
}

