// openCatalogRepository: turns a catalog source into a readable repository.
// An http(s) URL is mirrored into the cache folder — cloned the first time,
// fetched on every later call, served stale when the remote is unreachable.
// A mirror already on disk is first repaired of what a crash can leave
// (temporary packs, fetches cut short) and checked (checkMirror); a damaged
// one is re-cloned, and when that fails too, opening fails with
// MIRROR_DAMAGED rather than serve a catalog with holes in it.
// Anything else is the path of a local repository, read in place.

import path from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import { checkMirror } from './checkMirror.js';
import type { BranchSelection } from './branchSelection.js';
import { cloneMirror, type ChildCloneSettings } from './cloneMirror.js';
import { MirrorCloneError, MirrorFetchError, NotARepositoryError, UnsupportedSourceError } from './errors.js';
import { FETCH_IN_PROGRESS_FILE, fetchMirror, recoverInterruptedFetch } from './fetchMirror.js';
import { recoverInterruptedBranchFetch } from './fetchMirrorBranch.js';
import { defaultGitFs, writableTypedFs, type GitFs } from './gitFs.js';
import { silentGitLogger, type GitLogger } from './gitLogger.js';
import { DEFAULT_FETCH_TIMEOUT_MS, httpWithTimeout } from './httpWithTimeout.js';
import { isGitDirectory } from './isGitDirectory.js';
import { isRemoteUrl } from './isRemoteUrl.js';
import { MirrorDamagedError } from './mirrorDamagedError.js';
import { mirrorDirectoryName } from './mirrorDirectoryName.js';
import { redactUrl } from './redactUrl.js';
import { removeIncomingPacks } from './storePack.js';
import type { CatalogRepository } from './types.js';
import { withGitdirLock } from './withGitdirLock.js';

export interface OpenCatalogRepositoryOptions {
  /** An `http(s)://` URL to mirror, or the path of a local repository (bare or work tree). */
  readonly source: string;
  /** Where mirrors live; unused for a local repository. */
  readonly cacheDir: string;
  readonly fs?: GitFs;
  /** Wrapped so every request ends within `fetchTimeoutMs`. isomorphic-git's Node client by default. */
  readonly http?: HttpClient;
  readonly fetchTimeoutMs?: number;
  readonly logger?: GitLogger;
  /** The isomorphic-git cache to keep using (pass the previous repository's on a refresh). */
  readonly cache?: object;
  /** Which branches are the catalog's; absent: every branch. */
  readonly selection?: BranchSelection;
  /** When a mirror's (re-)clone runs in a child process; absent: always here. */
  readonly childClone?: ChildCloneSettings;
}

const MIRROR_PREFIX = 'refs/remotes/origin/';
// ssh://, git://, file:// and scp-like `git@host:path`: isomorphic-git cannot
// fetch them, and read as a path they would only give a puzzling error.
const OTHER_TRANSPORT = /^(?:[a-z][a-z0-9+.-]*:\/\/|[^/\\\s]+@[^/\\\s:]+:)/i;

export async function openCatalogRepository(options: OpenCatalogRepositoryOptions): Promise<CatalogRepository> {
  const fs = options.fs ?? defaultGitFs;
  const cache = options.cache ?? {};
  const repo = await openSource(options, fs, cache);
  return options.selection === undefined ? repo : { ...repo, selection: options.selection };
}

async function openSource(options: OpenCatalogRepositoryOptions, fs: GitFs, cache: object): Promise<CatalogRepository> {
  if (isRemoteUrl(options.source)) {
    return openMirror({
      url: options.source,
      cacheDir: path.resolve(options.cacheDir),
      fs,
      cache,
      http: httpWithTimeout({ http: options.http, timeoutMs: options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS }),
      logger: options.logger ?? silentGitLogger,
      childClone: options.childClone,
    });
  }
  if (OTHER_TRANSPORT.test(options.source)) throw new UnsupportedSourceError(redactUrl(options.source));
  return openLocal(fs, path.resolve(options.source), cache);
}

async function openLocal(fs: GitFs, dir: string, cache: object): Promise<CatalogRepository> {
  let gitdir: string;
  if (await isGitDirectory(fs, dir)) gitdir = dir;
  else if (await isGitDirectory(fs, path.join(dir, '.git'))) gitdir = path.join(dir, '.git');
  else throw new NotARepositoryError(dir);
  return { kind: 'local', fs, gitdir, cache, refPrefix: 'refs/heads/' };
}

interface MirrorOptions {
  readonly url: string;
  readonly cacheDir: string;
  readonly fs: GitFs;
  readonly cache: object;
  readonly http: HttpClient;
  readonly logger: GitLogger;
  readonly childClone: ChildCloneSettings | undefined;
}

async function openMirror(options: MirrorOptions): Promise<CatalogRepository> {
  const { url, cacheDir, fs, cache, http, logger, childClone } = options;
  const name = mirrorDirectoryName(url);
  const gitdir = path.join(cacheDir, name);
  await withGitdirLock(gitdir, async () => {
    await removeLeftovers(fs, cacheDir, name);
    if (!(await isGitDirectory(fs, gitdir))) {
      await cloneMirror({ url, gitdir, fs, http, logger, childProcess: childClone });
      return;
    }
    if (await usableMirror({ url, gitdir, fs, cache, http, logger, childClone })) {
      try {
        await fetchMirror({ url, gitdir, fs, http, cache, logger });
      } catch (error) {
        if (!(error instanceof MirrorFetchError)) throw error;
        // A stale catalog beats none: the next refresh may well succeed.
        logger.warn({ ...error.data, code: error.code }, 'could not update the catalog mirror; serving the copy already on disk');
      }
    }
  });
  return { kind: 'mirror', fs, gitdir, cache, refPrefix: MIRROR_PREFIX, url: redactUrl(url) };
}

/**
 * Repairs what a crash leaves in a mirror, then checks it. False when it is
 * damaged and has been re-cloned in its place (the caller then needs no
 * fetch); throws MirrorDamagedError when the re-clone fails.
 */
async function usableMirror(options: Omit<MirrorOptions, 'cacheDir'> & { gitdir: string }): Promise<boolean> {
  const { url, gitdir, fs, cache, http, logger, childClone } = options;
  await removeIncomingPacks({ fs, gitdir });
  await removeUnindexedPacks(fs, gitdir);
  // Refs moved by a fetch that never stored its pack are put back first: that is repair, not damage.
  await recoverInterruptedFetch({ url, gitdir, fs, http, cache, logger }, path.join(gitdir, FETCH_IN_PROGRESS_FILE));
  await recoverInterruptedBranchFetch({ fs, gitdir, logger });
  const damage = await checkMirror({ fs, gitdir, cache });
  if (damage === undefined) return true;
  logger.warn({ gitdir, ...damage }, `the catalog mirror is damaged (${damage.where}: ${damage.detail}); cloning it again`);
  try {
    await cloneMirror({ url, gitdir, fs, http, logger, childProcess: childClone });
  } catch (error) {
    if (!(error instanceof MirrorCloneError)) throw error;
    throw new MirrorDamagedError({ gitdir, damage: `${damage.code} ${damage.where}: ${damage.detail}`, url: redactUrl(url), cause: error.data.cause });
  }
  // The cache holds indexes of the damaged packs, keyed by paths the new clone reuses.
  for (const own of Reflect.ownKeys(cache)) delete (cache as Record<PropertyKey, unknown>)[own];
  return false;
}

/** A .pack without its .idx is invisible to readers: a crash between storing the two. */
async function removeUnindexedPacks(fs: GitFs, gitdir: string): Promise<void> {
  const files = writableTypedFs(fs);
  const packDir = path.join(gitdir, 'objects', 'pack');
  let names: string[];
  try {
    names = await files.readdir(packDir);
  } catch {
    return;
  }
  const present = new Set(names);
  for (const name of names) {
    if (name.endsWith('.pack') && !present.has(`${name.slice(0, -'.pack'.length)}.idx`)) await files.unlink(path.join(packDir, name));
  }
}

/** Temporary folders of clones or swaps this mirror's earlier runs did not finish (a crash). */
async function removeLeftovers(fs: GitFs, cacheDir: string, name: string): Promise<void> {
  const files = writableTypedFs(fs);
  await files.mkdir(cacheDir);
  const prefixes = [`.${name}.cloning-`, `.${name}.old-`];
  for (const entry of await files.readdir(cacheDir)) {
    if (prefixes.some((prefix) => entry.startsWith(prefix))) await files.removeTree(path.join(cacheDir, entry));
  }
}
