import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { CatalogStore } from '../../src/catalog/catalogStore.js';
import type { RefreshStatus } from '../../src/refresh/refreshEngine.js';
import { catalogWorkerIds, emptyApp, fixtureRepository, SERVICE_VERSION, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { errorAnswer } from '../helpers/errorAnswer.js';

test('GET /health answers ok with the service name and version, and no index yet', async (t) => {
  const app = await emptyApp(t);
  const response = await app.inject('/health');
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), {
    status: 'ok',
    service: 'worker-catalog',
    version: SERVICE_VERSION,
    indexedAt: null,
    indexAgeSeconds: null,
    lastRefreshAt: null,
    lastError: null,
    refreshPending: 0,
    refreshRunning: false,
  });
  assert.equal(response.headers['cache-control'], 'no-store');
});

test('/health and /ready tell the index age, the last refresh and the last refresh error', async (t) => {
  const store = new CatalogStore();
  const { repo } = await fixtureRepository(t);
  const builtAt = new Date(Date.now() - 120_000);
  store.swap(await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, now: () => builtAt }));
  const lastRefreshAt = new Date(Date.now() - 5_000);
  const failedAt = new Date(Date.now() - 1_000);
  let status: RefreshStatus | undefined;
  const app = await emptyApp(t, store, { refreshStatus: () => status });

  const beforeEngine = (await app.inject('/ready')).json() as Record<string, unknown>;
  assert.equal(beforeEngine.lastRefreshAt, null);
  assert.equal(beforeEngine.indexedAt, builtAt.toISOString());

  status = { lastRefreshAt, lastError: { message: 'fetch timed out', at: failedAt }, pending: 2, running: true };
  for (const route of ['/health', '/ready']) {
    const response = await app.inject(route);
    assert.equal(response.statusCode, 200, `${route}: a failing refresh keeps the last index served`);
    const body = response.json() as Record<string, unknown>;
    assert.equal(body.indexedAt, builtAt.toISOString(), route);
    const age = body.indexAgeSeconds as number;
    assert.ok(age >= 119 && age <= 180, `${route}: index age ${age}`);
    assert.equal(body.lastRefreshAt, lastRefreshAt.toISOString(), route);
    assert.deepEqual(body.lastError, { message: 'fetch timed out', at: failedAt.toISOString() }, route);
    assert.equal(body.refreshPending, 2, route);
    assert.equal(body.refreshRunning, true, route);
  }
});

test('GET /ready answers 503 until the first index, then the worker count and index commit', async (t) => {
  const store = new CatalogStore();
  const app = await emptyApp(t, store);
  const before = await app.inject('/ready');
  assert.equal(before.statusCode, 503);
  assert.equal((before.json() as { status: string }).status, 'starting');
  assert.equal(before.headers['retry-after'], '5');

  const { repo } = await fixtureRepository(t);
  const snapshot = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });
  store.swap(snapshot);
  const after = await app.inject('/ready');
  assert.equal(after.statusCode, 200);
  const body = after.json() as { status: string; workers: number; commit: string; index: string };
  assert.equal(body.status, 'ready');
  assert.equal(body.workers, catalogWorkerIds().length);
  assert.equal(body.commit, snapshot.defaultBranch?.oid);
  assert.match(body.commit, /^[0-9a-f]{40}$/);
  assert.equal(body.index, snapshot.id);
});

test('catalog endpoints answer 503 CATALOG_NOT_READY before the first index', async (t) => {
  const app = await emptyApp(t);
  for (const path of ['/workers', '/workers/llm-worker-rbee-cpu', '/workers/llm-worker-rbee-cpu/PKGBUILD', '/v1/workers', '/v1/problems']) {
    const response = await app.inject(path);
    assert.equal(response.statusCode, 503, path);
    assert.equal(errorAnswer(path, response).code, 'CATALOG_NOT_READY');
    assert.equal(response.headers['retry-after'], '5');
  }
});
