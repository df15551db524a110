// servedFixtureCatalog: the fixture catalog (fixtures/catalog) as a bare
// repository behind a real git smart-HTTP server on loopback — the remote
// the service mirrors in end-to-end tests — closed after the test.

import path from 'node:path';
import type { TestContext } from 'node:test';
import { createRepositoryFromFolders } from '../../src/git/createRepositoryFromFolders.js';
import { CATALOG_FIXTURES } from './catalogApp.js';
import { startGitHttpServer, type GitHttpServer, type GitHttpServerOptions } from './gitHttpServer.js';

export interface ServedCatalog {
  /** The repository's URL on the server. */
  readonly url: string;
  readonly gitServer: GitHttpServer;
  /** The served bare repository on disk. */
  readonly gitdir: string;
}

export async function servedFixtureCatalog(t: TestContext, options: { root: string; server?: Omit<GitHttpServerOptions, 'root'> }): Promise<ServedCatalog> {
  const served = path.join(options.root, 'served');
  const gitdir = path.join(served, 'catalog.git');
  await createRepositoryFromFolders({ sourceDir: CATALOG_FIXTURES, gitdir, defaultBranch: 'master' });
  const gitServer = await startGitHttpServer({ root: served, ...options.server });
  t.after(() => gitServer.close());
  return { url: gitServer.urlFor('catalog.git'), gitServer, gitdir };
}
