import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pushPayload, sign } from './github/webhookClient.js';
import { git } from './helpers/nativeGit.js';
import { startServer } from './helpers/serverProcess.js';
import { makeTempDir } from './helpers/tempDir.js';
import { servedFixtureCatalog } from './helpers/servedCatalog.js';

const WEBHOOK_SECRET = 'webhook-secret-never-logged-0123';
const GITHUB_TOKEN = 'ghp_tokenNeverLogged0123456789abcdef';
const URL_PASSWORD = 'url-password-never-logged';

interface LogLine {
  msg?: string;
  [key: string]: unknown;
}

test('at trace level, through a push and a webhook, the logs carry route, status, delivery, branch and oid, and no secret', async (t) => {
  const root = await makeTempDir(t, 'rbee-logs');
  const { url } = await servedFixtureCatalog(t, { root });
  const withCredentials = url.replace('http://', `http://bot:${URL_PASSWORD}@`);
  const server = await startServer(t, {
    CATALOG_REPO: withCredentials,
    CATALOG_CACHE_DIR: path.join(root, 'cache'),
    LOG_LEVEL: 'trace',
    WEBHOOK_SECRET,
    GITHUB_TOKEN,
    GITHUB_REPOSITORY: 'veighnsche/rbee-worker-catalog',
    // Nothing answers here: statuses fail quietly, and no request leaves the machine.
    GITHUB_API_URL: 'http://127.0.0.1:9',
    CATALOG_POLL_SECONDS: '0',
  });
  await fetch(`${server.baseUrl}/workers/llm-worker-rbee-cpu`);

  const work = path.join(root, 'work');
  await git(['clone', '--quiet', '-b', 'llm-worker-rbee-cpu', url, work]);
  writeFileSync(path.join(work, 'README.md'), '# logged push\n');
  await git(['-C', work, 'commit', '--quiet', '-am', 'Logged push']);
  await git(['-C', work, 'push', '--quiet', 'origin', 'HEAD']);
  const oid = (await git(['-C', work, 'rev-parse', 'HEAD'])).trim();
  const body = JSON.stringify({ ...pushPayload(), after: oid });
  const delivery = randomUUID();
  const answer = await fetch(`${server.baseUrl}/webhooks/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': delivery, 'x-hub-signature-256': sign(WEBHOOK_SECRET, body), authorization: `Bearer ${GITHUB_TOKEN}` },
    body,
  });
  assert.equal(answer.status, 202);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !server.output().includes('"msg":"catalog refreshed"')) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(await server.stop(), 0);

  const output = server.output();
  for (const secret of [WEBHOOK_SECRET, GITHUB_TOKEN, URL_PASSWORD, sign(WEBHOOK_SECRET, body).slice(7)]) {
    assert.ok(!output.includes(secret), `a secret reached the log: ${secret.slice(0, 6)}…`);
  }
  const lines = output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogLine);
  const request = lines.find((line) => line.msg === 'request' && line.route === '/workers/:id');
  assert.ok(request !== undefined, 'one line per request');
  assert.deepEqual([request.method, request.status, typeof request.durationMs], ['GET', 200, 'number']);
  const accepted = lines.find((line) => typeof line.msg === 'string' && line.msg.startsWith('webhook delivery accepted'));
  assert.deepEqual([accepted?.deliveryId, accepted?.branch, accepted?.oid], [delivery, 'llm-worker-rbee-cpu', oid]);
  const refreshed = lines.find((line) => line.msg === 'catalog refreshed');
  assert.deepEqual(refreshed?.oids, { 'llm-worker-rbee-cpu': oid });
  assert.deepEqual(refreshed?.deliveries, [delivery]);
});
