// End to end: the real service (src/server.ts in a child process) mirrors a
// repository behind a real git smart-HTTP server; a maintainer pushes with
// real git; GitHub's delivery is a signed POST over real HTTP. Each step
// checks what the listening service serves afterwards.
//
// "Nothing happened" is proven without sleeping: the engine handles requests
// in order, so once a later, valid delivery for another branch is served, a
// refused delivery queued before it would have been served too.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { postDelivery, pushPayload, REPOSITORY, SECRET, sign } from './github/webhookClient.js';
import { fixtureVersion } from './helpers/fixtureFiles.js';
import { startFakeGithub } from './helpers/fakeGithub.js';
import { git } from './helpers/nativeGit.js';
import { startServer, type ServerProcess } from './helpers/serverProcess.js';
import { makeTempDir } from './helpers/tempDir.js';
import { servedFixtureCatalog } from './helpers/servedCatalog.js';

interface V1Worker {
  readonly commit: { readonly oid: string };
  readonly rejectedNewerCommit: { readonly oid: string; readonly problems: readonly { readonly code: string }[] } | null;
}

interface Catalog {
  readonly service: ServerProcess;
  /** Clones `branch` with native git, runs `change` in the work tree, commits, pushes; resolves with the new oid. */
  push(branch: string, change: (work: string) => Promise<void> | void, pushArgs?: readonly string[]): Promise<string>;
  /** `git ARGS` in a scratch clone of the repository (for deletes and forced pushes). */
  gitInScratch(args: readonly string[]): Promise<string>;
}

async function startCatalog(t: TestContext, extraEnv: Record<string, string> = {}): Promise<Catalog> {
  const root = await makeTempDir(t, 'rbee-webhook-e2e');
  const { url } = await servedFixtureCatalog(t, { root });
  const service = await startServer(t, {
    CATALOG_REPO: url,
    CATALOG_CACHE_DIR: path.join(root, 'cache'),
    WEBHOOK_SECRET: SECRET,
    GITHUB_REPOSITORY: REPOSITORY,
    // Webhooks alone: a reconcile pass would hide a delivery that did nothing.
    CATALOG_POLL_SECONDS: '0',
    ...extraEnv,
  });
  const scratch = path.join(root, 'scratch');
  await git(['clone', '--quiet', url, scratch]);
  let clones = 0;
  return {
    service,
    async push(branch, change, pushArgs = []) {
      clones += 1;
      const work = path.join(root, `work-${clones}`);
      await git(['clone', '--quiet', '-b', branch, url, work]);
      await change(work);
      await git(['-C', work, 'commit', '--quiet', '-am', `Change ${clones}`]);
      await git(['-C', work, 'push', '--quiet', ...pushArgs, 'origin', `HEAD:refs/heads/${branch}`]);
      return (await git(['-C', work, 'rev-parse', 'HEAD'])).trim();
    },
    gitInScratch: (args) => git(['-C', scratch, ...args]),
  };
}

async function getJson<T>(service: ServerProcess, route: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${service.baseUrl}${route}`);
  return { status: response.status, body: (await response.json()) as T };
}

/** Polls until `check` holds, for at most 15 s. */
async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`timed out waiting until ${what}`);
}

async function servedCommit(service: ServerProcess, id: string): Promise<string | undefined> {
  const { status, body } = await getJson<V1Worker>(service, `/v1/workers/${id}`);
  return status === 200 ? body.commit.oid : undefined;
}

async function waitForCommit(service: ServerProcess, id: string, oid: string | undefined): Promise<void> {
  await waitFor(`${id} is served at ${oid ?? '(gone)'}`, async () => (await servedCommit(service, id)) === oid);
}

async function announcePush(service: ServerProcess, branch: string, extra: Parameters<typeof pushPayload>[0] = {}): Promise<void> {
  const answer = await postDelivery(service.baseUrl, { event: 'push', payload: pushPayload({ ref: `refs/heads/${branch}`, ...extra }) });
  assert.equal(answer.status, 202, JSON.stringify(answer.json));
  assert.equal(typeof answer.json.delivery, 'string');
}

const editReadme = (text: string) => (work: string): void => writeFileSync(path.join(work, 'README.md'), text);

test('pushes announced by signed webhooks are served by the listening service', async (t) => {
  const github = await startFakeGithub(t);
  const { service, push, gitInScratch } = await startCatalog(t, {
    GITHUB_TOKEN: 'ghs_e2e_token',
    GITHUB_API_URL: github.url,
    PUBLIC_BASE_URL: 'https://catalog.rbee.test',
  });
  const statusOf = (sha: string) => github.calls.find((call) => call.path === `/repos/${REPOSITORY}/statuses/${sha}`)?.body;
  const pushed: Record<string, string> = {};

  await t.test('a new commit is served', async () => {
    const before = await servedCommit(service, 'llm-worker-rbee-rocm');
    const oid = await push('llm-worker-rbee-rocm', editReadme('# rocm\n\nA new commit.\n'));
    assert.notEqual(oid, before);
    await announcePush(service, 'llm-worker-rbee-rocm');
    await waitForCommit(service, 'llm-worker-rbee-rocm', oid);
    pushed.served = oid;
    const readme = await fetch(`${service.baseUrl}/v1/workers/llm-worker-rbee-rocm/README.md`);
    assert.equal(await readme.text(), '# rocm\n\nA new commit.\n');
  });

  await t.test('a forced push that rewinds a branch is served', async () => {
    await gitInScratch(['fetch', '--quiet', 'origin']);
    const parent = (await gitInScratch(['rev-parse', 'origin/llm-worker-rbee-rocm~1'])).trim();
    await gitInScratch(['push', '--quiet', '--force', 'origin', `${parent}:refs/heads/llm-worker-rbee-rocm`]);
    await announcePush(service, 'llm-worker-rbee-rocm', { forced: true });
    await waitForCommit(service, 'llm-worker-rbee-rocm', parent);
  });

  await t.test('a new branch is served', async () => {
    // The sd cpu worker under a new name: every file renamed consistently.
    const source = 'sd-worker-rbee-cpu';
    const copy = 'sd-worker-rbee-cpu-lite';
    await gitInScratch(['fetch', '--quiet', 'origin']);
    await gitInScratch(['checkout', '--quiet', '-b', copy, `origin/${source}`]);
    const work = (await gitInScratch(['rev-parse', '--show-toplevel'])).trim();
    for (const file of ['PKGBUILD', '.SRCINFO', 'metadata.json']) {
      const text = readFileSync(path.join(work, file), 'utf8');
      writeFileSync(path.join(work, file), text.replaceAll(source, copy));
    }
    await gitInScratch(['commit', '--quiet', '-am', 'New worker']);
    await gitInScratch(['push', '--quiet', 'origin', `${copy}:refs/heads/${copy}`]);
    const oid = (await gitInScratch(['rev-parse', 'HEAD'])).trim();
    assert.equal(await servedCommit(service, copy), undefined);
    await announcePush(service, copy, { created: true });
    await waitForCommit(service, copy, oid);
  });

  await t.test('an invalid commit is rejected and the last good version stays served', async () => {
    const good = await servedCommit(service, 'llm-worker-rbee-cuda');
    assert.ok(good);
    const bad = await push('llm-worker-rbee-cuda', (work) => writeFileSync(path.join(work, 'metadata.json'), '{"id": "llm-worker-rbee-cuda",'));
    pushed.rejected = bad;
    await announcePush(service, 'llm-worker-rbee-cuda');
    await waitFor('the rejected commit is reported', async () => {
      const { body } = await getJson<V1Worker>(service, '/v1/workers/llm-worker-rbee-cuda');
      return body.rejectedNewerCommit?.oid === bad;
    });
    const { body } = await getJson<V1Worker>(service, '/v1/workers/llm-worker-rbee-cuda');
    assert.equal(body.commit.oid, good, 'the last good commit is still served');
    assert.ok(body.rejectedNewerCommit?.problems.some((problem) => problem.code.startsWith('METADATA')), JSON.stringify(body.rejectedNewerCommit));
    const report = await getJson<{ served: boolean; commit: string; rejectedNewerCommit: { oid: string; problems: unknown[] } | null }>(service, '/v1/workers/llm-worker-rbee-cuda/problems');
    assert.equal(report.body.served, true);
    assert.equal(report.body.rejectedNewerCommit?.oid, bad);
    assert.ok((report.body.rejectedNewerCommit?.problems.length ?? 0) > 0);
    const legacy = await fetch(`${service.baseUrl}/workers/llm-worker-rbee-cuda/PKGBUILD`);
    assert.equal(legacy.status, 200);
  });

  await t.test('a deleted branch disappears', async () => {
    assert.ok(await servedCommit(service, 'sd-worker-rbee-metal'));
    await gitInScratch(['push', '--quiet', 'origin', ':refs/heads/sd-worker-rbee-metal']);
    await announcePush(service, 'sd-worker-rbee-metal', { deleted: true });
    await waitForCommit(service, 'sd-worker-rbee-metal', undefined);
    const { body } = await getJson<{ workers: { id: string }[] }>(service, '/workers');
    assert.ok(!body.workers.some((worker) => worker.id === 'sd-worker-rbee-metal'));
  });

  await t.test('forged, tampered, replayed and foreign deliveries change nothing', async () => {
    const served = await servedCommit(service, 'sd-worker-rbee-rocm');
    const pushed = await push('sd-worker-rbee-rocm', editReadme('# pushed, never announced validly\n'));
    const body = JSON.stringify(pushPayload({ ref: 'refs/heads/sd-worker-rbee-rocm' }));

    const forged = await postDelivery(service.baseUrl, { event: 'push', body, secret: 'not-the-secret-0123456789' });
    assert.equal(forged.status, 401);
    const tampered = await postDelivery(service.baseUrl, { event: 'push', body: body.replace('sd-worker-rbee-rocm', 'sd-worker-rbee-cpu'), signature: sign(SECRET, body) });
    assert.equal(tampered.status, 401);
    const foreign = await postDelivery(service.baseUrl, { event: 'push', payload: pushPayload({ ref: 'refs/heads/sd-worker-rbee-rocm', fullName: 'someone/else' }) });
    assert.equal(foreign.status, 200);
    assert.equal(foreign.json.ignored, true);

    // A delivery id already processed: announce another branch, then replay its id for this one.
    const id = randomUUID();
    const probe = await push('llm-worker-rbee-metal', editReadme('# probe\n'));
    const first = await postDelivery(service.baseUrl, { event: 'push', delivery: id, payload: pushPayload({ ref: 'refs/heads/llm-worker-rbee-metal' }) });
    assert.equal(first.status, 202);
    const replayed = await postDelivery(service.baseUrl, { event: 'push', delivery: id, body });
    assert.equal(replayed.status, 200);
    assert.equal(replayed.json.duplicate, true);

    // The probe was queued after every refused delivery: once it is served, they are proven inert.
    await waitForCommit(service, 'llm-worker-rbee-metal', probe);
    assert.equal(await servedCommit(service, 'sd-worker-rbee-rocm'), served, 'no refused delivery fetched the push');

    await announcePush(service, 'sd-worker-rbee-rocm');
    await waitForCommit(service, 'sd-worker-rbee-rocm', pushed);
  });

  await t.test('each indexed push got a commit status on GitHub', async () => {
    await waitFor('both statuses are posted', async () => statusOf(pushed.served!) !== undefined && statusOf(pushed.rejected!) !== undefined);
    assert.deepEqual(statusOf(pushed.served!), {
      state: 'success',
      // The rocm PKGBUILD holds a line tree-sitter-bash cannot read (see test/validate/rules.test.ts).
      description: `Served as ${fixtureVersion('llm-worker-rbee-rocm')} with warnings: PKGBUILD_UNREADABLE (PKGBUILD:25)`,
      context: 'rbee-catalog/validate',
      target_url: 'https://catalog.rbee.test/v1/workers/llm-worker-rbee-rocm/problems',
    });
    const rejected = statusOf(pushed.rejected!);
    assert.equal(rejected?.state, 'failure');
    assert.match(String(rejected?.description), /^Rejected: METADATA_INVALID_JSON \(metadata\.json:1\); still serving /);
    assert.ok(github.calls.every((call) => call.authorization === 'token ghs_e2e_token'));
  });

  await t.test('/health and /ready report the last refresh and no error', async () => {
    for (const route of ['/health', '/ready']) {
      const { status, body } = await getJson<{ lastRefreshAt: string | null; lastError: unknown; indexAgeSeconds: number }>(service, route);
      assert.equal(status, 200, route);
      assert.ok(body.lastRefreshAt !== null && Date.now() - Date.parse(body.lastRefreshAt) < 60_000, `${route}: ${JSON.stringify(body)}`);
      assert.equal(body.lastError, null, route);
      assert.ok(body.indexAgeSeconds >= 0 && body.indexAgeSeconds < 60, route);
    }
  });
});

// GitHub's own example payloads, re-addressed to the configured repository so
// each one goes all the way through the engine of the running service.
interface ExampleGroup {
  readonly name: string;
  readonly examples: readonly Record<string, unknown>[];
}
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as readonly ExampleGroup[];

test('no push, create, delete or ping example payload makes the running service answer 5xx', async (t) => {
  const { service } = await startCatalog(t);
  let sent = 0;
  for (const group of examples.filter((candidate) => ['push', 'create', 'delete', 'ping'].includes(candidate.name))) {
    for (const example of group.examples) {
      const repository = { ...(example.repository as Record<string, unknown> | undefined), full_name: REPOSITORY };
      const answer = await postDelivery(service.baseUrl, { event: group.name, payload: { ...example, repository } });
      sent += 1;
      assert.ok(answer.status < 500, `${group.name}: ${answer.status} ${JSON.stringify(answer.json)}`);
    }
  }
  assert.ok(sent >= 10, `only ${sent} examples were sent`);
  // Whatever they asked for, the service still serves the catalog and reports no failure.
  await waitFor('the engine is idle', async () => {
    const { body } = await getJson<{ refreshPending: number; refreshRunning: boolean }>(service, '/health');
    return body.refreshPending === 0 && !body.refreshRunning;
  });
  const { body } = await getJson<{ lastError: unknown }>(service, '/health');
  assert.equal(body.lastError, null);
  assert.ok(await servedCommit(service, 'llm-worker-rbee-cpu'));
});
