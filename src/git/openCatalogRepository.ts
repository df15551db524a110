// openCatalogRepository: turns a catalog source into a readable repository.
// An http(s) URL is mirrored into the cache folder — cloned the first time,
// fetched on every later call, served stale when the remote is unreachable.
// Anything else is the path of a local repository, read in place.

import path from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import { cloneMirror } from './cloneMirror.js';
import { MirrorFetchError, NotARepositoryError, UnsupportedSourceError } from './errors.js';
import { fetchMirror } from './fetchMirror.js';
import { defaultGitFs, writableTypedFs, type GitFs } from './gitFs.js';
import { silentGitLogger, type GitLogger } from './gitLogger.js';
import { DEFAULT_FETCH_TIMEOUT_MS, httpWithTimeout } from './httpWithTimeout.js';
import { isGitDirectory } from './isGitDirectory.js';
import { isRemoteUrl } from './isRemoteUrl.js';
import { mirrorDirectoryName } from './mirrorDirectoryName.js';
import { redactUrl } from './redactUrl.js';
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
}

const MIRROR_PREFIX = 'refs/remotes/origin/';
// ssh://, git://, file:// and scp-like `git@host:path`: isomorphic-git cannot
// fetch them, and read as a path they would only give a puzzling error.
const OTHER_TRANSPORT = /^(?:[a-z][a-z0-9+.-]*:\/\/|[^/\\\s]+@[^/\\\s:]+:)/i;

export async function openCatalogRepository(options: OpenCatalogRepositoryOptions): Promise<CatalogRepository> {
  const fs = options.fs ?? defaultGitFs;
  const cache = options.cache ?? {};
  if (isRemoteUrl(options.source)) {
    return openMirror({
      url: options.source,
      cacheDir: path.resolve(options.cacheDir),
      fs,
      cache,
      http: httpWithTimeout({ http: options.http, timeoutMs: options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS }),
      logger: options.logger ?? silentGitLogger,
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
}

async function openMirror(options: MirrorOptions): Promise<CatalogRepository> {
  const { url, cacheDir, fs, cache, http, logger } = options;
  const name = mirrorDirectoryName(url);
  const gitdir = path.join(cacheDir, name);
  await withGitdirLock(gitdir, async () => {
    if (await isGitDirectory(fs, gitdir)) {
      try {
        await fetchMirror({ url, gitdir, fs, http, cache, logger });
      } catch (error) {
        if (!(error instanceof MirrorFetchError)) throw error;
        // A stale catalog beats none: the next refresh may well succeed.
        logger.warn({ ...error.data, code: error.code }, 'could not update the catalog mirror; serving the copy already on disk');
      }
      return;
    }
    await removeLeftovers(fs, cacheDir, name);
    await cloneMirror({ url, gitdir, fs, http, logger });
  });
  return { kind: 'mirror', fs, gitdir, cache, refPrefix: MIRROR_PREFIX, url: redactUrl(url) };
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
