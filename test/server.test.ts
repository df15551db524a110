import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { catalogWorkerIds } from './helpers/catalogApp.js';
import { fixtureFile } from './helpers/fixtureFiles.js';
import { git } from './helpers/nativeGit.js';
import { runServer, startServer } from './helpers/serverProcess.js';
import { servedFixtureCatalog } from './helpers/servedCatalog.js';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rbee-server-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('with no configuration the service serves the built-in catalog', async (t) => {
  const server = await startServer(t, { CATALOG_CACHE_DIR: tempDir(t) });
  const workers = (await (await fetch(`${server.baseUrl}/workers`)).json()) as { workers: { id: string }[] };
  assert.deepEqual(workers.workers.map((worker) => worker.id), catalogWorkerIds());
  const pkgbuild = await fetch(`${server.baseUrl}/workers/llm-worker-rbee-cuda/PKGBUILD`);
  assert.equal(pkgbuild.status, 200);
  assert.deepEqual(Buffer.from(await pkgbuild.arrayBuffer()), fixtureFile('llm-worker-rbee-cuda', 'PKGBUILD'));
  assert.equal(await server.stop(), 0, 'SIGTERM ends the process cleanly');
});

test('CATALOG_REPO=http://… mirrors a repository served by real git, and a later start fetches what was pushed', async (t) => {
  const root = tempDir(t);
  const { url } = await servedFixtureCatalog(t, { root });
  const env = { CATALOG_REPO: url, CATALOG_CACHE_DIR: path.join(root, 'cache') };

  const first = await startServer(t, env);
  const clone = (await (await fetch(`${first.baseUrl}/workers/sd-worker-rbee-cpu/clone-url`)).json()) as { git_url: string };
  assert.equal(clone.git_url, url);
  const ids = ((await (await fetch(`${first.baseUrl}/workers`)).json()) as { workers: { id: string }[] }).workers.map((w) => w.id);
  assert.deepEqual(ids, catalogWorkerIds());
  assert.equal(await first.stop(), 0);

  // A maintainer pushes a change with real git over HTTP (async: this process also runs the git server).
  const work = path.join(root, 'work');
  await git(['clone', '--quiet', '-b', 'sd-worker-rbee-cpu', url, work]);
  writeFileSync(path.join(work, 'README.md'), '# sd-worker-rbee-cpu\n\nPushed after the first start.\n');
  await git(['-C', work, 'commit', '--quiet', '-am', 'Update README']);
  await git(['-C', work, 'push', '--quiet', 'origin', 'sd-worker-rbee-cpu']);

  const second = await startServer(t, env);
  const readme = await fetch(`${second.baseUrl}/v1/workers/sd-worker-rbee-cpu/README.md`);
  assert.equal(await readme.text(), '# sd-worker-rbee-cpu\n\nPushed after the first start.\n');
});

test('a bad configuration value stops start-up with a message naming the variable', async () => {
  const { child, output } = runServer({ PORT: 'eighty' });
  const [code] = await once(child, 'exit');
  assert.equal(code, 2);
  assert.match(output(), /PORT must be an integer/);
});
