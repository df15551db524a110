// pinnedClone: GET /v1/workers/:id/clone-url's answer — where a worker's
// branch lives and a command that checks out exactly the commit being served,
// which is not always the branch tip (a newer commit may have been rejected).
//
// The command works with git 2.39 (Debian 12), which has no `clone
// --revision`: clone the one branch without a checkout, then check out the
// served commit, detached. `--single-branch` matters: the catalog repository
// has a branch per worker, and a plain clone would fetch every one of them.

import { advertisedGitUrl } from './advertisedGitUrl.js';
import { shellWord, type CloneInfo } from './cloneInfo.js';
import type { CachedBody } from './cachedBody.js';
import { commitDate } from './assembleSnapshot.js';
import type { ServedWorker } from './snapshot.js';

export interface PinnedCloneInfo extends CloneInfo {
  /** The served commit, which `clone_command` checks out. */
  readonly commit: string;
}

export function pinnedCloneInfo(options: { gitUrl: string; branch: string; commit: string }): PinnedCloneInfo {
  const { gitUrl, branch, commit } = options;
  // The folder is named after the branch (the worker id), not after the repository.
  const dir = shellWord(branch);
  const clone = `git clone --single-branch --no-checkout -b ${shellWord(branch)} ${shellWord(gitUrl)} ${dir}`;
  return { git_url: gitUrl, branch, commit, clone_command: `${clone} && git -C ${dir} checkout --quiet --detach ${shellWord(commit)}` };
}

// Served workers outlive snapshots while their branch does not move, so the body is kept per served worker.
const bodies = new WeakMap<ServedWorker, CachedBody>();

/**
 * The answer as prebuilt bytes. The git URL is the one the snapshot already
 * advertises for this worker (its unpinned clone answer). The ETag is the
 * commit oid plus that answer's own tag, which names the URL and branch: no
 * hashing of the body.
 */
export function pinnedCloneBody(served: ServedWorker): CachedBody {
  let body = bodies.get(served);
  if (body === undefined) {
    const { branch, commit } = served.record;
    const info = pinnedCloneInfo({ gitUrl: advertisedGitUrl(served), branch, commit: commit.oid });
    body = {
      body: Buffer.from(JSON.stringify(info)),
      etag: `"${commit.oid}.${served.cloneUrl.etag.slice(1, -1)}"`,
      contentType: 'application/json; charset=utf-8',
      lastModified: commitDate(commit),
    };
    bodies.set(served, body);
  }
  return body;
}
