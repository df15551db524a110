// npm run generate-catalog must write exactly what GET /v1/catalog.json
// answers for the same repository: from a local repository, from a remote
// over real git smart HTTP, and from the built-in catalog.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { catalogApp, catalogWorkerIds, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { startGitHttpServer } from '../helpers/gitHttpServer.js';
import { runScript } from '../helpers/runScript.js';
import { makeTempDir } from '../helpers/tempDir.js';

test('generate-catalog --repo PATH --out FILE writes the bytes of GET /v1/catalog.json, broken branches left out', async (t) => {
  const broken = ['broken-bad-metadata', 'broken-pkgbase-mismatch'];
  const { app, fixture } = await catalogApp(t, { broken });
  const dir = await makeTempDir(t, 'rbee-generate');
  const out = path.join(dir, 'catalog.json');
  const run = await runScript('generate-catalog', ['--repo', fixture.gitdir, '--git-url', TEST_GIT_URL, '--out', out, '--cache-dir', path.join(dir, 'cache')]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '');
  const served = (await app.inject('/v1/catalog.json')).rawPayload;
  assert.deepEqual(readFileSync(out), served);
  const ids = (JSON.parse(served.toString('utf8')) as { workers: Array<{ id: string }> }).workers.map((worker) => worker.id);
  assert.deepEqual(ids, catalogWorkerIds(), 'only the workers the service serves');
});

test('generate-catalog --repo URL mirrors the remote over smart HTTP and writes the same file', async (t) => {
  const { app, fixture } = await catalogApp(t);
  const server = await startGitHttpServer({ root: path.dirname(fixture.gitdir) });
  t.after(() => server.close());
  const dir = await makeTempDir(t, 'rbee-generate');
  const run = await runScript('generate-catalog', ['--repo', server.urlFor(path.basename(fixture.gitdir)), '--git-url', TEST_GIT_URL, '--cache-dir', dir]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(server.requests > 0, 'the repository came over HTTP');
  assert.equal(run.stdout, (await app.inject('/v1/catalog.json')).body);
});

test('generate-catalog with no --repo uses the built-in catalog, as npm start does', async (t) => {
  const { app } = await catalogApp(t);
  const dir = await makeTempDir(t, 'rbee-generate');
  const run = await runScript('generate-catalog', ['--git-url', TEST_GIT_URL, '--cache-dir', dir]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, (await app.inject('/v1/catalog.json')).body);
});

test('generate-catalog: exit 2 for bad usage or configuration, 1 for an unreadable repository', async (t) => {
  const dir = await makeTempDir(t, 'rbee-generate');
  const usage = await runScript('generate-catalog', ['--bogus']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /usage: npm run generate-catalog/);
  const badUrl = await runScript('generate-catalog', ['--git-url', 'not a url; rm -rf /', '--cache-dir', dir]);
  assert.equal(badUrl.code, 2, badUrl.stderr);
  const missing = await runScript('generate-catalog', ['--repo', path.join(dir, 'nowhere'), '--cache-dir', dir]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /NOT_A_REPOSITORY/);
  assert.equal(missing.stdout, '');
});
