// Builds a real bare git repository from fixture folders (fixtures/catalog/
// plus any named broken branches), indexes it, and returns an app serving it.

import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp, type AppOptions } from '../../src/app.js';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { CatalogStore } from '../../src/catalog/catalogStore.js';
import { gitWorkerHistory } from '../../src/catalog/gitWorkerHistory.js';
import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';
import { createRepositoryFromFolders } from '../../src/git/createRepositoryFromFolders.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import type { CatalogRepository } from '../../src/git/types.js';

export const CATALOG_FIXTURES = path.resolve('fixtures/catalog');
export const BROKEN_FIXTURES = path.resolve('fixtures/broken');
export const TEST_GIT_URL = 'https://git.example.test/rbee-worker-catalog.git';
export const SERVICE_VERSION = '9.9.9-test';

/** The worker branches of the built-in catalog, read from the folder tree itself. */
export function catalogWorkerIds(): string[] {
  return readdirSync(CATALOG_FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'master')
    .map((entry) => entry.name)
    .sort();
}

export interface FixtureRepository {
  readonly repo: CatalogRepository;
  readonly gitdir: string;
  readonly sourceDir: string;
}

/** A bare repository holding fixtures/catalog plus the named fixtures/broken branches. */
export async function fixtureRepository(t: TestContext, options: { broken?: readonly string[] } = {}): Promise<FixtureRepository> {
  const root = mkdtempSync(path.join(tmpdir(), 'rbee-catalog-test-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const sourceDir = path.join(root, 'folders');
  cpSync(CATALOG_FIXTURES, sourceDir, { recursive: true });
  for (const name of options.broken ?? []) cpSync(path.join(BROKEN_FIXTURES, name), path.join(sourceDir, name), { recursive: true });
  const gitdir = path.join(root, 'catalog.git');
  await createRepositoryFromFolders({ sourceDir, gitdir, defaultBranch: 'master' });
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: path.join(root, 'cache') });
  return { repo, gitdir, sourceDir };
}

export interface CatalogApp {
  readonly app: FastifyInstance;
  readonly store: CatalogStore;
  readonly snapshot: CatalogSnapshot;
  readonly fixture: FixtureRepository;
}

/** An app already serving an index of the fixture repository; closed after the test. */
export async function catalogApp(t: TestContext, options: { broken?: readonly string[] } = {}): Promise<CatalogApp> {
  const fixture = await fixtureRepository(t, options);
  const store = new CatalogStore();
  const snapshot = await buildSnapshot({ repo: fixture.repo, gitUrl: TEST_GIT_URL });
  store.swap(snapshot);
  const app = await emptyApp(t, store, { history: gitWorkerHistory({ repo: fixture.repo }) });
  return { app, store, snapshot, fixture };
}

/** An app over a store that may not hold a snapshot yet. */
export async function emptyApp(t: TestContext, store = new CatalogStore(), extra: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ store, logger: pino({ level: 'silent' }), serviceVersion: SERVICE_VERSION, cacheMaxAgeSeconds: 3600, ...extra });
  t.after(() => app.close());
  return app;
}
