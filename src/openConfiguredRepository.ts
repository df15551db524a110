// openConfiguredRepository: turns the configured source into a readable
// repository, the clone URL to advertise, and the way to bring it up to date.
// Unset CATALOG_REPO means the built-in catalog: fixtures/catalog/ made into
// a git repository on the fly.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createRepositoryFromFolders } from './git/createRepositoryFromFolders.js';
import { openCatalogRepository } from './git/openCatalogRepository.js';
import { CLONE_IN_CHILD_FROM_BRANCHES } from './git/cloneInChildProcess.js';
import { remoteHttpClient, type RemoteHttpSettings } from './git/remoteHttpClient.js';
import type { CatalogRepository } from './git/types.js';
import { localRepositorySync, remoteMirrorSync, type MirrorSync } from './refresh/mirrorSync.js';

// Resolved from this file so it holds under src/ (tsx) and dist/ (compiled) alike.
export const BUILTIN_CATALOG_DIR = fileURLToPath(new URL('../fixtures/catalog/', import.meta.url));

export interface OpenedRepository {
  readonly repo: CatalogRepository;
  /** The clone URL advertised to clients. */
  readonly gitUrl: string;
  /** Fetches from the remote for a mirror; reads refs in place for a local repository. */
  readonly sync: MirrorSync;
}

export async function openConfiguredRepository(config: Config, logger: Logger): Promise<OpenedRepository> {
  const source = config.repository;
  let location: string;
  if (source.kind === 'builtin') {
    location = path.join(config.cacheDir, 'builtin-catalog.git');
    const { branches } = await createRepositoryFromFolders({ sourceDir: BUILTIN_CATALOG_DIR, gitdir: location, defaultBranch: 'master' });
    logger.info({ gitdir: location, branches: branches.length }, 'built the built-in catalog repository from fixtures/catalog');
  } else {
    location = source.kind === 'remote' ? source.url : source.path;
  }
  // One client for every request to the remote: the timeout, and the token (never in a URL) when one is configured.
  const httpSettings: RemoteHttpSettings = {
    remoteUrl: location,
    timeoutMs: config.fetchTimeoutMs,
    credentials: source.kind === 'remote' ? config.remoteCredentials : undefined,
  };
  const http = remoteHttpClient(httpSettings);
  const repo = await openCatalogRepository({
    source: location,
    cacheDir: config.cacheDir,
    logger,
    http,
    fetchTimeoutMs: config.fetchTimeoutMs,
    selection: config.branches,
    // What a large first clone allocates would stay resident here for good; a child's goes back when it exits.
    childClone: { fromBranches: CLONE_IN_CHILD_FROM_BRANCHES, http: httpSettings },
  });
  // The configured URL, credentials included, is only ever handed to isomorphic-git.
  const sync = source.kind === 'remote'
    ? remoteMirrorSync({ repo, url: source.url, http, logger })
    : localRepositorySync(repo);
  // A mirror is cloned by its URL (repo.url never holds credentials); a local repository by its path.
  return { repo, gitUrl: config.gitUrl ?? repo.url ?? repo.gitdir, sync };
}
