// fetchMirrorBranch: brings ONE branch of a mirror up to date — the cost of a
// push webhook. One ref advertisement (which also proves the remote's HEAD
// resolves, see readRemoteState), then a single-branch fetch that sends our
// tip as a "have" so only the new objects travel. A branch gone from the
// remote loses its remote-tracking ref. On failure the one ref is put back; a
// crash mid-fetch is undone by recoverInterruptedBranchFetch on the next call.

import path from 'node:path';
import { deleteRef, fetch, writeRef } from 'isomorphic-git';
import { MirrorFetchError } from './errors.js';
import type { FetchMirrorOptions } from './fetchMirror.js';
import { writableTypedFs, type GitFs } from './gitFs.js';
import type { GitLogger } from './gitLogger.js';
import { readRef } from './readRef.js';
import { readRemoteState } from './readRemoteState.js';
import { redactUrl } from './redactUrl.js';

export interface FetchMirrorBranchOptions extends FetchMirrorOptions {
  /** A branch name already checked by the caller (never a raw webhook string). */
  readonly branch: string;
}

export interface FetchMirrorBranchResult {
  /** The branch's tip after the fetch; undefined when the remote no longer has it. */
  readonly oid: string | undefined;
  /** False when the mirror already had that tip. */
  readonly changed: boolean;
}

const ORIGIN = 'refs/remotes/origin/';
/** `[ref, value before the fetch or null]` while a single-branch fetch runs. */
export const BRANCH_FETCH_IN_PROGRESS_FILE = 'rbee-branch-fetch-in-progress.json';

export async function fetchMirrorBranch(options: FetchMirrorBranchOptions): Promise<FetchMirrorBranchResult> {
  const { url, gitdir, fs, http, cache, logger, branch } = options;
  const ref = `${ORIGIN}${branch}`;
  try {
    await recoverInterruptedBranchFetch({ fs, gitdir, logger });
    const remote = await readRemoteState({ http, url });
    const remoteOid = remote.branches.get(branch);
    const plan = await planBranchFetch({ fs, gitdir, ref, branch, remoteOid, logger });
    if ('done' in plan) return plan.done;
    const localOid = plan.have;

    const files = writableTypedFs(fs);
    const marker = path.join(gitdir, BRANCH_FETCH_IN_PROGRESS_FILE);
    await files.writeFile(marker, JSON.stringify([ref, localOid ?? null]));
    try {
      await fetch({ fs, http, gitdir, url, cache, remote: 'origin', ref: `origin/${branch}`, remoteRef: branch, singleBranch: true, tags: false });
    } catch (error) {
      await putBack(fs, gitdir, ref, localOid);
      await files.unlink(marker);
      throw error;
    }
    await files.unlink(marker);
    const fetched = await readRef({ fs, gitdir, ref });
    logger.info({ branch, from: localOid, to: fetched }, 'fetched one branch into the mirror');
    return { oid: fetched, changed: true };
  } catch (error) {
    throw new MirrorFetchError({ url: redactUrl(url), gitdir, cause: error });
  }
}

/** A branch fetch that is already settled (`done`), or the tip to fetch and the one the mirror has. */
export type BranchFetchPlan =
  | { readonly done: FetchMirrorBranchResult }
  | { readonly want: string; readonly have: string | undefined };

/**
 * What a single-branch fetch must do: nothing when the mirror already has
 * the remote's tip; remove the remote-tracking ref of a branch gone from the
 * remote; else fetch `want` on top of `have`.
 */
export async function planBranchFetch(options: {
  fs: GitFs; gitdir: string; ref: string; branch: string; remoteOid: string | undefined; logger: GitLogger;
}): Promise<BranchFetchPlan> {
  const { fs, gitdir, ref, branch, remoteOid, logger } = options;
  const localOid = await readRef({ fs, gitdir, ref });
  if (remoteOid === localOid) return { done: { oid: remoteOid, changed: false } };
  if (remoteOid === undefined) {
    await deleteRef({ fs, gitdir, ref });
    logger.info({ branch }, 'branch deleted on the remote; removed it from the mirror');
    return { done: { oid: undefined, changed: true } };
  }
  return { want: remoteOid, have: localOid };
}

/** Puts back the one ref an interrupted single-branch fetch may have moved. */
export async function recoverInterruptedBranchFetch(options: { fs: GitFs; gitdir: string; logger: GitLogger }): Promise<void> {
  const files = writableTypedFs(options.fs);
  const marker = path.join(options.gitdir, BRANCH_FETCH_IN_PROGRESS_FILE);
  const text = await files.readTextIfExists(marker);
  if (text === undefined) return;
  let saved: unknown;
  try {
    saved = JSON.parse(text);
  } catch {
    // Cut short while being written: the fetch after it never started.
  }
  if (Array.isArray(saved) && typeof saved[0] === 'string' && saved[0].startsWith(ORIGIN) && (saved[1] === null || typeof saved[1] === 'string')) {
    await putBack(options.fs, options.gitdir, saved[0], saved[1] ?? undefined);
    options.logger.warn({ ref: saved[0] }, 'a single-branch fetch into the mirror was interrupted; restored its ref');
  }
  await files.unlink(marker);
}

async function putBack(fs: GitFs, gitdir: string, ref: string, oid: string | undefined): Promise<void> {
  if (oid === undefined) await deleteRef({ fs, gitdir, ref });
  else await writeRef({ fs, gitdir, ref, value: oid, force: true });
}
