import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogApp, catalogWorkerIds, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { fixtureFile, fixtureMetadata, fixtureVersion } from '../helpers/fixtureFiles.js';

test('GET /workers lists every worker of the built-in catalog with the fields rbee-hive reads', async (t) => {
  const { app } = await catalogApp(t);
  const response = await app.inject('/workers');
  assert.equal(response.statusCode, 200);
  assert.match(response.headers['content-type'] as string, /^application\/json/);
  const { workers } = response.json() as { workers: Record<string, unknown>[] };
  assert.deepEqual(workers.map((worker) => worker.id), catalogWorkerIds());
  for (const worker of workers) {
    const id = worker.id as string;
    const metadata = fixtureMetadata(id);
    assert.equal(worker.name, metadata.name);
    assert.equal(worker.description, metadata.description);
    assert.equal(worker.workerType, metadata.worker_type);
    assert.deepEqual(worker.platforms, metadata.platforms);
    assert.deepEqual(worker.architectures, metadata.architectures);
    assert.equal(worker.version, fixtureVersion(id));
    assert.equal(worker.pkgbuildUrl, `/workers/${id}/PKGBUILD`);
  }
});

test('GET /workers/:id answers the entry itself, unwrapped, in both spellings the clients use', async (t) => {
  const { app } = await catalogApp(t);
  for (const id of catalogWorkerIds()) {
    const response = await app.inject(`/workers/${id}`);
    assert.equal(response.statusCode, 200, id);
    const entry = response.json() as Record<string, unknown>;
    assert.equal(entry.id, id);
    assert.equal(entry.version, fixtureVersion(id));
    for (const key of ['platforms', 'architectures', 'depends', 'makedepends']) {
      assert.ok(Array.isArray(entry[key]), `${id}: ${key} is an array`);
    }
    assert.equal(entry.worker_type, entry.workerType);
    assert.equal(entry.pkgbuild_url, entry.pkgbuildUrl);
    assert.equal(entry.license, fixtureMetadata(id).license);
  }
});

test('GET /workers/:id/PKGBUILD serves the committed bytes as text/plain', async (t) => {
  const { app } = await catalogApp(t);
  for (const id of catalogWorkerIds()) {
    const response = await app.inject(`/workers/${id}/PKGBUILD`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
    assert.deepEqual(response.rawPayload, fixtureFile(id, 'PKGBUILD'));
  }
});

test('a bare backend name is the seed shorthand for llm-worker-rbee-<backend>', async (t) => {
  const { app } = await catalogApp(t);
  const response = await app.inject('/workers/cpu/PKGBUILD');
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.rawPayload, fixtureFile('llm-worker-rbee-cpu', 'PKGBUILD'));
  assert.equal((await app.inject('/workers/tpu/PKGBUILD')).statusCode, 404);
});

test('GET /workers/:id/clone-url answers the git url, branch and clone command', async (t) => {
  const { app } = await catalogApp(t);
  const response = await app.inject('/workers/sd-worker-rbee-cuda/clone-url');
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), {
    git_url: TEST_GIT_URL,
    branch: 'sd-worker-rbee-cuda',
    clone_command: `git clone -b sd-worker-rbee-cuda ${TEST_GIT_URL}`,
  });
});

test('invalid ids answer 400 before any lookup', async (t) => {
  const { app } = await catalogApp(t);
  const invalid = ['UPPER', '-leading-dash', '.hidden', 'a'.repeat(101), 'a%20b', 'a%2Fb', 'caf%C3%A9', 'x%00', '%2E%2E%2Fetc'];
  for (const id of invalid) {
    for (const suffix of ['', '/PKGBUILD', '/clone-url']) {
      const response = await app.inject(`/workers/${id}${suffix}`);
      assert.equal(response.statusCode, 400, `${id}${suffix}`);
      const body = response.json() as { error: string; code: string };
      assert.equal(body.error, 'Invalid worker ID');
      assert.equal(body.code, 'INVALID_WORKER_ID');
    }
  }
  assert.equal((await app.inject(`/workers/${'a'.repeat(100)}`)).statusCode, 404, '100 characters is still a valid id');
  // `..` is resolved away by URL normalisation before routing: it must never find anything.
  assert.equal((await app.inject('/workers/%2E%2E/PKGBUILD')).statusCode, 404);
});

test('unknown ids answer 404 {"error":"Worker not found"}', async (t) => {
  const { app } = await catalogApp(t);
  for (const path of ['/workers/no-such-worker', '/workers/no-such-worker/PKGBUILD', '/workers/no-such-worker/clone-url']) {
    const response = await app.inject(path);
    assert.equal(response.statusCode, 404, path);
    assert.equal((response.json() as { error: string }).error, 'Worker not found');
  }
});

test('broken branches are not served as workers', async (t) => {
  const broken = ['broken-missing-srcinfo', 'broken-bad-metadata', 'broken-pkgbase-mismatch', 'broken-metadata-schema'];
  const { app } = await catalogApp(t, { broken });
  const { workers } = (await app.inject('/workers')).json() as { workers: { id: string }[] };
  assert.deepEqual(workers.map((worker) => worker.id), catalogWorkerIds());
  for (const id of broken) assert.equal((await app.inject(`/workers/${id}`)).statusCode, 404, id);
});
