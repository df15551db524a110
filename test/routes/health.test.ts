import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { CatalogStore } from '../../src/catalog/catalogStore.js';
import { catalogWorkerIds, emptyApp, fixtureRepository, SERVICE_VERSION, TEST_GIT_URL } from '../helpers/catalogApp.js';

test('GET /health answers ok with the service name and version', async (t) => {
  const app = await emptyApp(t);
  const response = await app.inject('/health');
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { status: 'ok', service: 'worker-catalog', version: SERVICE_VERSION });
  assert.equal(response.headers['cache-control'], 'no-store');
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
    assert.equal((response.json() as { code: string }).code, 'CATALOG_NOT_READY');
    assert.equal(response.headers['retry-after'], '5');
  }
});
