// fetchMirror: brings an existing mirror up to date with its remote — new and
// moved branches fetched, deleted ones pruned, the remote's default branch
// recorded in refs/remotes/origin/HEAD. The mirror is never left with refs
// pointing at objects it lacks: a failed fetch has its ref writes undone, and
// one interrupted by a crash is undone on the next call. Throws MirrorFetchError.

import path from 'node:path';
import { fetch, writeRef, type HttpClient } from 'isomorphic-git';
import { MirrorFetchError } from './errors.js';
import { writableTypedFs, type GitFs } from './gitFs.js';
import type { GitLogger } from './gitLogger.js';
import { readRawRefs } from './readRawRefs.js';
import { readRemoteState, type RemoteState } from './readRemoteState.js';
import { redactUrl } from './redactUrl.js';
import { restoreRefs } from './restoreRefs.js';

export interface FetchMirrorOptions {
  /** The remote, credentials included if it needs them. */
  readonly url: string;
  readonly gitdir: string;
  readonly fs: GitFs;
  readonly http: HttpClient;
  /** The repository's long-lived isomorphic-git cache. */
  readonly cache: object;
  readonly logger: GitLogger;
}

export interface FetchMirrorResult {
  /** False when the remote already matched the mirror and nothing was fetched. */
  readonly changed: boolean;
  readonly defaultBranch: string;
}

const ORIGIN = 'refs/remotes/origin/';
const ORIGIN_HEAD = `${ORIGIN}HEAD`;
/** Holds the refs as they were before a fetch began; present only while one runs. */
export const FETCH_IN_PROGRESS_FILE = 'rbee-fetch-in-progress.json';

export async function fetchMirror(options: FetchMirrorOptions): Promise<FetchMirrorResult> {
  const { url, gitdir, fs, http, cache, logger } = options;
  const shownUrl = redactUrl(url);
  const files = writableTypedFs(fs);
  const marker = path.join(gitdir, FETCH_IN_PROGRESS_FILE);
  try {
    await recoverInterruptedFetch(options, marker);
    const remote = await readRemoteState({ http, url });
    const before = await readRawRefs({ fs, gitdir, prefix: ORIGIN });
    if (matches(before, remote)) {
      logger.debug({ url: shownUrl, gitdir }, 'catalog mirror already up to date');
      return { changed: false, defaultBranch: remote.defaultBranch };
    }

    await files.writeFile(marker, JSON.stringify([...before]));
    try {
      await fetch({
        fs,
        http,
        gitdir,
        url,
        remote: 'origin',
        // Explicit, so nothing depends on the mirror's own HEAD or branch config.
        ref: remote.defaultBranch,
        remoteRef: remote.defaultBranch,
        singleBranch: false,
        tags: false,
        prune: true,
        cache,
      });
    } catch (error) {
      await restoreRefs({ fs, gitdir, prefix: ORIGIN, snapshot: before });
      await files.unlink(marker);
      throw error;
    }
    const after = await readRawRefs({ fs, gitdir, prefix: ORIGIN });
    // isomorphic-git records HEAD as a plain oid when the server does not
    // advertise the symref; the catalog needs the branch name.
    const head = `ref: ${ORIGIN}${remote.defaultBranch}`;
    if (after.get(ORIGIN_HEAD) !== head && after.has(`${ORIGIN}${remote.defaultBranch}`)) {
      await writeRef({ fs, gitdir, ref: ORIGIN_HEAD, value: `${ORIGIN}${remote.defaultBranch}`, symbolic: true, force: true });
    }
    await files.unlink(marker);
    logger.info({ url: shownUrl, gitdir, ...countChanges(before, after), defaultBranch: remote.defaultBranch }, 'fetched the catalog mirror');
    return { changed: true, defaultBranch: remote.defaultBranch };
  } catch (error) {
    throw new MirrorFetchError({ url: shownUrl, gitdir, cause: error });
  }
}

/** The snapshot a crashed fetch left behind is put back before anything else reads the refs. */
export async function recoverInterruptedFetch(options: FetchMirrorOptions, marker: string): Promise<void> {
  const files = writableTypedFs(options.fs);
  const text = await files.readTextIfExists(marker);
  if (text === undefined) return;
  let snapshot: Map<string, string> | undefined;
  try {
    snapshot = new Map(JSON.parse(text) as Array<[string, string]>);
  } catch {
    // Cut short while being written: the fetch after it never started.
  }
  if (snapshot !== undefined) {
    const changed = await restoreRefs({ fs: options.fs, gitdir: options.gitdir, prefix: ORIGIN, snapshot });
    options.logger.warn({ gitdir: options.gitdir, refsRestored: changed }, 'an earlier fetch into the catalog mirror was interrupted; restored the refs it had');
  }
  await files.unlink(marker);
}

function matches(local: ReadonlyMap<string, string>, remote: RemoteState): boolean {
  if (local.get(ORIGIN_HEAD) !== `ref: ${ORIGIN}${remote.defaultBranch}`) return false;
  if (local.size !== remote.branches.size + 1) return false;
  for (const [name, oid] of remote.branches) if (local.get(`${ORIGIN}${name}`) !== oid) return false;
  return true;
}

function countChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): { added: number; updated: number; removed: number } {
  let added = 0;
  let updated = 0;
  let removed = 0;
  for (const [ref, value] of after) {
    if (ref === ORIGIN_HEAD) continue;
    const old = before.get(ref);
    if (old === undefined) added += 1;
    else if (old !== value) updated += 1;
  }
  for (const ref of before.keys()) if (ref !== ORIGIN_HEAD && !after.has(ref)) removed += 1;
  return { added, updated, removed };
}
