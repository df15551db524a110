import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogApp, catalogWorkerIds, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { fixtureFile, fixtureMetadata, fixtureVersion } from '../helpers/fixtureFiles.js';
import { errorAnswer } from '../helpers/errorAnswer.js';

interface V1 {
  id: string;
  version: string;
  name: string;
  platforms: string[];
  package: {
    pkgbase: string;
    arch: string[];
    source: Record<string, string[]>;
    depends: Record<string, string[]>;
    optdepends: Record<string, { name: string; description?: string }[]>;
    checksums: Record<string, Record<string, string[]>>;
  };
  commit: { oid: string; time: string };
  files: Record<string, string>;
  git: { url: string; branch: string; cloneCommand: string };
  problems: unknown[];
}

/** Values of `key = …` lines anywhere in a fixture's .SRCINFO, in order (the oracle). */
function srcinfoValues(id: string, key: string): string[] {
  return fixtureFile(id, '.SRCINFO').toString('utf8').split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith(`${key} = `))
    .map((line) => line.slice(key.length + 3));
}

test('GET /v1/workers lists full entries with a total', async (t) => {
  const { app } = await catalogApp(t);
  const body = (await app.inject('/v1/workers')).json() as { workers: V1[]; total: number };
  assert.equal(body.total, catalogWorkerIds().length);
  assert.deepEqual(body.workers.map((worker) => worker.id), catalogWorkerIds());
  for (const worker of body.workers) assert.equal(worker.version, fixtureVersion(worker.id));
});

test('GET /v1/workers/:id keeps architecture-specific lists apart and in order', async (t) => {
  const { app } = await catalogApp(t);
  for (const id of catalogWorkerIds()) {
    const entry = (await app.inject(`/v1/workers/${id}`)).json() as V1;
    assert.equal(entry.package.pkgbase, id);
    assert.deepEqual(entry.package.arch, srcinfoValues(id, 'arch'));
    assert.deepEqual(entry.package.source.all ?? [], srcinfoValues(id, 'source'));
    for (const arch of entry.package.arch) {
      assert.deepEqual(entry.package.source[arch] ?? [], srcinfoValues(id, `source_${arch}`), `${id} source_${arch}`);
      assert.deepEqual(entry.package.depends[arch] ?? [], srcinfoValues(id, `depends_${arch}`), `${id} depends_${arch}`);
      assert.deepEqual(entry.package.checksums.sha256sums?.[arch] ?? [], srcinfoValues(id, `sha256sums_${arch}`), `${id} sha256sums_${arch}`);
    }
    const optdepends = srcinfoValues(id, 'optdepends');
    assert.deepEqual((entry.package.optdepends.all ?? []).map((dep) => dep.description === undefined ? dep.name : `${dep.name}: ${dep.description}`), optdepends);
  }
});

test('the proprietary binary worker pins one real checksum per architecture-specific source', async (t) => {
  const { app } = await catalogApp(t);
  const premium = (await app.inject('/v1/workers')).json() as { workers: V1[] };
  const binaries = premium.workers.filter((worker) => Object.keys(worker.package.source).some((key) => key !== 'all'));
  assert.ok(binaries.length >= 1, 'the built-in catalog has a worker with source_<arch>');
  for (const worker of binaries) {
    for (const [arch, sources] of Object.entries(worker.package.source)) {
      const sums = worker.package.checksums.sha256sums?.[arch] ?? [];
      assert.equal(sums.length, sources.length, `${worker.id} ${arch}`);
      if (arch !== 'all') for (const sum of sums) assert.match(sum, /^[0-9a-f]{64}$/);
    }
  }
});

test('GET /v1/workers/:id tells the commit, the files and how to clone', async (t) => {
  const { app, snapshot } = await catalogApp(t);
  const entry = (await app.inject('/v1/workers/llm-worker-rbee-metal')).json() as V1;
  assert.equal(entry.commit.oid, snapshot.branches.get('llm-worker-rbee-metal')?.oid);
  assert.ok(!Number.isNaN(Date.parse(entry.commit.time)));
  assert.deepEqual(Object.keys(entry.files).sort(), ['.SRCINFO', 'PKGBUILD', 'README.md', 'metadata.json']);
  assert.deepEqual(entry.git, { url: TEST_GIT_URL, branch: 'llm-worker-rbee-metal', cloneCommand: `git clone -b llm-worker-rbee-metal ${TEST_GIT_URL}` });
  assert.equal(entry.name, fixtureMetadata('llm-worker-rbee-metal').name);
});

test('GET /v1/workers/:id/<file> serves each file as committed, with its blob oid as ETag', async (t) => {
  const { app } = await catalogApp(t);
  const types: Record<string, RegExp> = {
    PKGBUILD: /^text\/plain/, '.SRCINFO': /^text\/plain/, 'metadata.json': /^application\/json/, 'README.md': /^text\/markdown/,
  };
  for (const [file, type] of Object.entries(types)) {
    const response = await app.inject(`/v1/workers/sd-worker-rbee-rocm/${file}`);
    assert.equal(response.statusCode, 200, file);
    assert.match(response.headers['content-type'] as string, type);
    assert.deepEqual(response.rawPayload, fixtureFile('sd-worker-rbee-rocm', file));
    assert.match(response.headers.etag as string, /^"[0-9a-f]{40}"$/);
  }
  assert.equal((await app.inject('/v1/workers/sd-worker-rbee-rocm/worker.toml')).statusCode, 404);
});

test('v1 answers 400 for invalid ids and 404 for unknown ones', async (t) => {
  const { app } = await catalogApp(t);
  for (const path of ['/v1/workers/Nope', '/v1/workers/Nope/PKGBUILD', `/v1/workers/${'x'.repeat(101)}`]) {
    const response = await app.inject(path);
    assert.equal(response.statusCode, 400, path);
    assert.equal(errorAnswer(path, response).code, 'INVALID_WORKER_ID');
  }
  for (const path of ['/v1/workers/nope', '/v1/workers/nope/.SRCINFO']) {
    const response = await app.inject(path);
    assert.equal(response.statusCode, 404, path);
    assert.deepEqual(errorAnswer(path, response), { code: 'WORKER_NOT_FOUND', message: 'Worker not found' });
  }
});
