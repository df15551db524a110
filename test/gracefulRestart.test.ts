// Graceful restarts, end to end: the real service (src/server.ts in a child
// process) mirrors a repository behind a real git smart-HTTP server, native
// git pushes, GitHub's delivery is a signed POST. The git server trickles its
// pack answers so a signal lands while the refresh's fetch is under way.
//
// - SIGTERM right after the 202: the process exits 0 after the refresh
//   finished (or was dropped cleanly, said in the log), and a restart on the
//   same cache folder serves the pushed commit.
// - SIGKILL at several points of a fetch: every restart is ready on the
//   mirror it finds, serves every worker, the pushed branch at its old or its
//   new commit and never a 5xx; one more webhook then serves the new commit.
//
// The delays before each kill are the points in the fetch being probed, not
// waits for something to happen.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { postDelivery, pushPayload, REPOSITORY, SECRET } from './github/webhookClient.js';
import type { GitHttpServer } from './helpers/gitHttpServer.js';
import { git } from './helpers/nativeGit.js';
import { startServer, type ServerProcess } from './helpers/serverProcess.js';
import { makeTempDir } from './helpers/tempDir.js';
import { servedFixtureCatalog } from './helpers/servedCatalog.js';

const BRANCH = 'llm-worker-rbee-rocm';
const TRICKLE = { bytes: 64, intervalMs: 15 };

interface Catalog {
  readonly gitServer: GitHttpServer;
  start(): Promise<ServerProcess>;
  /** Commits a README change to BRANCH with native git and pushes it; resolves with the new oid. */
  push(): Promise<string>;
}

async function catalog(t: TestContext): Promise<Catalog> {
  const root = await makeTempDir(t, 'rbee-graceful');
  const { gitServer, url } = await servedFixtureCatalog(t, { root });
  const work = path.join(root, 'work');
  await git(['clone', '--quiet', '-b', BRANCH, url, work]);
  let pushes = 0;
  return {
    gitServer,
    start: async () => {
      // Full speed while starting (its clone or fetch is not what is probed).
      gitServer.trickle = undefined;
      const service = await startServer(t, {
        CATALOG_REPO: url,
        CATALOG_CACHE_DIR: path.join(root, 'cache'),
        WEBHOOK_SECRET: SECRET,
        GITHUB_REPOSITORY: REPOSITORY,
        CATALOG_POLL_SECONDS: '0',
        LOG_LEVEL: 'info',
      });
      gitServer.trickle = TRICKLE;
      return service;
    },
    push: async () => {
      pushes += 1;
      // Some bytes that do not compress away, so the pack takes a while to trickle.
      const noise = Array.from({ length: 40 }, (_, line) => `${pushes}-${line}-${Math.random().toString(36).slice(2)}`).join('\n');
      writeFileSync(path.join(work, 'README.md'), `# rocm, push ${pushes}\n\n${noise}\n`);
      await git(['-C', work, 'commit', '--quiet', '-am', `Push ${pushes}`]);
      await git(['-C', work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${BRANCH}`]);
      return (await git(['-C', work, 'rev-parse', 'HEAD'])).trim();
    },
  };
}

async function announce(service: ServerProcess): Promise<void> {
  const answer = await postDelivery(service.baseUrl, { event: 'push', payload: pushPayload({ ref: `refs/heads/${BRANCH}` }) });
  assert.equal(answer.status, 202, JSON.stringify(answer.json));
}

async function served(service: ServerProcess): Promise<{ commit: string; workers: number }> {
  const one = await fetch(`${service.baseUrl}/v1/workers/${BRANCH}`);
  assert.equal(one.status, 200, `GET /v1/workers/${BRANCH}`);
  const list = await fetch(`${service.baseUrl}/workers`);
  assert.equal(list.status, 200, 'GET /workers');
  const body = (await one.json()) as { commit: { oid: string } };
  return { commit: body.commit.oid, workers: ((await list.json()) as { workers: unknown[] }).workers.length };
}

async function waitForCommit(service: ServerProcess, oid: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((await served(service)).commit === oid) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`${BRANCH} never served at ${oid}`);
}

async function exitOf(service: ServerProcess, signal: NodeJS.Signals): Promise<number | null> {
  const exited = once(service.child, 'exit');
  service.child.kill(signal);
  const [code] = await exited;
  return code as number | null;
}

test('SIGTERM during a refresh exits 0 once it finished, and a restart serves the new version', { timeout: 60_000 }, async (t) => {
  const { start, push } = await catalog(t);
  const first = await start();
  const oid = await push();
  await announce(first);
  // Right after the 202: the refresh's fetch is trickling in.
  const code = await exitOf(first, 'SIGTERM');
  const log = first.output();
  assert.equal(code, 0, log);
  assert.match(log, /"msg":"shutting down: no new connections/);
  assert.match(log, /"msg":"shut down cleanly"/);
  // Either the running refresh was waited for, or it had not started and was dropped, saying so.
  assert.ok(log.includes('"msg":"catalog refreshed"') || log.includes('queued refreshes are dropped'), log);

  const second = await start();
  assert.equal((await served(second)).commit, oid);
});

test('SIGKILL in the middle of a fetch: every restart serves the old or the new version, never a 5xx', { timeout: 90_000 }, async (t) => {
  const { start, push } = await catalog(t);
  let service = await start();
  const { workers, commit: initial } = await served(service);
  const known = new Set([initial]);
  for (const delayMs of [20, 120, 250, 450, 700]) {
    const oid = await push();
    known.add(oid);
    await announce(service);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    assert.equal(await exitOf(service, 'SIGKILL'), null);
    service = await start();
    const now = await served(service);
    assert.equal(now.workers, workers, `after a kill ${delayMs} ms in, every worker is served`);
    assert.ok(known.has(now.commit), `after a kill ${delayMs} ms in, ${BRANCH} is at a pushed commit`);
    assert.doesNotMatch(service.output(), /MIRROR_DAMAGED|failed to start/);
  }
  const last = await push();
  await announce(service);
  await waitForCommit(service, last);
  assert.equal((await served(service)).workers, workers);
});
