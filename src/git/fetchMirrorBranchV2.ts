// fetchMirrorBranchV2: fetchMirrorBranch over git protocol v2, for servers
// that speak it (GitHub and git http-backend do). One `ls-refs` for the one
// branch and one `fetch` of its new commits: two small requests whatever the
// number of branches. The ref moves only after the pack is stored and its
// commit reads back, so a failure or a crash at any point leaves the mirror
// as it was — no crash marker is needed, unlike isomorphic-git's fetch,
// which writes refs before the objects they name.

import { readCommit, writeRef } from 'isomorphic-git';
import { MirrorFetchError } from './errors.js';
import type { FetchMirrorBranchOptions, FetchMirrorBranchResult } from './fetchMirrorBranch.js';
import { recoverInterruptedBranchFetch, planBranchFetch } from './fetchMirrorBranch.js';
import { redactUrl } from './redactUrl.js';
import { storePack } from './storePack.js';
import { fetchPackV2, lsRefsV2 } from './uploadPackV2.js';

const ORIGIN = 'refs/remotes/origin/';

export async function fetchMirrorBranchV2(options: FetchMirrorBranchOptions): Promise<FetchMirrorBranchResult> {
  const { url, gitdir, fs, http, cache, logger, branch } = options;
  const ref = `${ORIGIN}${branch}`;
  try {
    // A marker left by an interrupted v1 fetch (an older run, or a fallback) is still honoured.
    await recoverInterruptedBranchFetch({ fs, gitdir, logger });
    const remoteRef = `refs/heads/${branch}`;
    // ref-prefix matches by prefix: `a` also lists `a-b`, so the exact name is picked out.
    const remoteOid = (await lsRefsV2({ http, url, prefixes: [remoteRef] })).get(remoteRef);
    const plan = await planBranchFetch({ fs, gitdir, ref, branch, remoteOid, logger });
    if ('done' in plan) return plan.done;
    const { want, have } = plan;
    const pack = await fetchPackV2({ http, url, want, haves: have === undefined ? [] : [have] });
    const objects = await storePack({ fs, gitdir, pack, cache });
    // Proves the tip arrived (or was already here, after a rewind) before anything points at it.
    await readCommit({ fs, gitdir, oid: want, cache });
    await writeRef({ fs, gitdir, ref, value: want, force: true });
    logger.info({ branch, from: have, to: want, objects }, 'fetched one branch into the mirror (protocol v2)');
    return { oid: want, changed: true };
  } catch (error) {
    throw new MirrorFetchError({ url: redactUrl(url), gitdir, cause: error });
  }
}
