import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { freePort } from '../scripts/lib/serviceProcess.js';
import { catalogWorkerIds } from './helpers/catalogApp.js';
import { runServer, startServer } from './helpers/serverProcess.js';
import { makeTempDir } from './helpers/tempDir.js';
import { servedFixtureCatalog } from './helpers/servedCatalog.js';

const TOKEN = 'ghp_privateRemoteToken0123456789';

/** Every file's text under `dir`, to search the mirror on disk for the token. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

test('a private remote is mirrored with CATALOG_REPO_TOKEN; the token reaches neither the disk nor the log, and without it start-up fails', async (t) => {
  const root = await makeTempDir(t, 'rbee-private');
  const { url } = await servedFixtureCatalog(t, { root, server: { basicAuth: { username: 'x-access-token', password: TOKEN } } });

  const denied = runServer({ CATALOG_REPO: url, CATALOG_CACHE_DIR: path.join(root, 'denied-cache'), HOST: '127.0.0.1', PORT: String(await freePort()) });
  assert.equal((await once(denied.child, 'exit'))[0], 1, 'no token: the clone is refused and the service does not start');
  assert.match(denied.output(), /failed to start \[MIRROR_CLONE_FAILED\]/);

  const cacheDir = path.join(root, 'cache');
  const server = await startServer(t, { CATALOG_REPO: url, CATALOG_REPO_TOKEN: TOKEN, CATALOG_CACHE_DIR: cacheDir, LOG_LEVEL: 'trace' });
  const workers = (await (await fetch(`${server.baseUrl}/workers`)).json()) as { workers: Array<{ id: string }> };
  assert.deepEqual(workers.workers.map((worker) => worker.id), catalogWorkerIds());
  const clone = (await (await fetch(`${server.baseUrl}/workers/llm-worker-rbee-cpu/clone-url`)).json()) as { git_url: string };
  assert.equal(clone.git_url, url, 'clients are told the URL, never the token');
  assert.equal(await server.stop(), 0);
  assert.ok(!server.output().includes(TOKEN), 'the token is not in the log');
  assert.ok(!allText(cacheDir).includes(TOKEN) && !allText(cacheDir).includes(Buffer.from(`x-access-token:${TOKEN}`).toString('base64')), 'nor anywhere in the cache folder');
});
