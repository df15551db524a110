// bench-refresh: how long from a GitHub push webhook to the new version being
// served, at 100, 1,000 and 10,000 worker branches.
//
//   npm run bench:refresh                      # 100, 1,000 and 10,000 branches, 40 pushes each
//   npm run bench:refresh -- --sizes=100,1000 --pushes=60
//
// For each size: a synthetic catalog (scripts/lib/syntheticCatalog.ts) behind
// a loopback git smart-HTTP server (git http-backend), and the real service
// (src/server.ts) in a child process mirroring it over HTTP. Then, one push at
// a time: a new release is committed to one branch in the served repository
// (exactly what a push leaves there; not timed), a signed push delivery is
// POSTed to /webhooks/github (the clock starts), and GET /v1/workers/:id is
// polled every POLL_MS until it names the new commit (the clock stops). The
// poll interval bounds the measurement error.
//
// Targets (issue 3): p99 ≤ 500 ms at 1,000 branches; the 10,000-branch p99 at
// most 1.5× the 100-branch p99.

import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startGitHttpServer } from './lib/gitHttpServer.js';
import { percentile } from './lib/percentile.js';
import { startService } from './lib/serviceProcess.js';
import { commitNewRelease, createSyntheticCatalog, syntheticWorkerId } from './lib/syntheticCatalog.js';

const SECRET = 'bench-webhook-secret-0123456789';
const POLL_MS = 2;
const WARMUP_PUSHES = 3;
/** Bounds every wait: a refresh that never shows up fails the run instead of hanging it. */
const PUSH_TIMEOUT_MS = 30_000;
const READY_TIMEOUT_MS = 30 * 60_000;

interface SizeResult {
  readonly branches: number;
  readonly setupSeconds: number;
  readonly startSeconds: number;
  readonly latenciesMs: readonly number[];
  /** The engine's own split of each refresh, from its `catalog refreshed` log lines. */
  readonly syncMs: readonly number[];
  readonly indexMs: readonly number[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100,1000,10000' }, pushes: { type: 'string', default: '40' } } });
  const sizes = values.sizes.split(',').map((size) => Number.parseInt(size, 10));
  const pushes = Number.parseInt(values.pushes, 10);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1 || size > 100_000) || !Number.isInteger(pushes) || pushes < 1 || pushes > 10_000) {
    throw new Error('usage: bench-refresh [--sizes=100,1000,10000] [--pushes=40]');
  }
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const result = await benchSize(size, pushes);
    results.push(result);
    process.stderr.write(`${size} branches: p50 ${percentile(result.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(result.latenciesMs, 99).toFixed(1)} ms\n`);
  }
  printTable(results, pushes);
}

async function benchSize(branches: number, pushes: number): Promise<SizeResult> {
  const root = await mkdtemp(path.join(tmpdir(), `rbee-bench-refresh-${branches}-`));
  const gitServer = await startGitHttpServer({ root: path.join(root, 'served') });
  try {
    const gitdir = path.join(root, 'served', 'catalog.git');
    let started = performance.now();
    await createSyntheticCatalog(gitdir, branches);
    const setupSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    const service = await startService({
      CATALOG_REPO: gitServer.urlFor('catalog.git'),
      CATALOG_CACHE_DIR: path.join(root, 'cache'),
      WEBHOOK_SECRET: SECRET,
      CATALOG_POLL_SECONDS: '0',
      LOG_LEVEL: 'info',
    }, { readyTimeoutMs: READY_TIMEOUT_MS });
    const startSeconds = (performance.now() - started) / 1000;
    try {
      const latenciesMs: number[] = [];
      for (let push = 0; push < WARMUP_PUSHES + pushes; push += 1) {
        // Spread over the catalog; a branch is never pushed twice in a row.
        const id = syntheticWorkerId((push * 7919) % branches);
        const oid = await commitNewRelease(gitdir, id, push + 2);
        const latency = await announceAndWait(service.baseUrl, id, oid);
        if (push >= WARMUP_PUSHES) latenciesMs.push(latency);
      }
      const refreshes = refreshLogLines(service.output()).slice(-pushes);
      return { branches, setupSeconds, startSeconds, latenciesMs, syncMs: refreshes.map((line) => line.syncMs), indexMs: refreshes.map((line) => line.indexMs) };
    } finally {
      await service.stop();
    }
  } finally {
    await gitServer.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** POSTs a signed push delivery for `id`, then polls until `oid` is served; resolves with the milliseconds in between. */
async function announceAndWait(baseUrl: string, id: string, oid: string): Promise<number> {
  const body = JSON.stringify({
    ref: `refs/heads/${id}`,
    before: '0'.repeat(40),
    after: oid,
    created: false,
    deleted: false,
    forced: false,
    repository: { full_name: 'rbee/bench-catalog', default_branch: 'master' },
    commits: [],
  });
  const started = performance.now();
  const answer = await fetch(`${baseUrl}/webhooks/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  });
  if (answer.status !== 202) throw new Error(`webhook answered ${answer.status}: ${await answer.text()}`);
  await answer.arrayBuffer();
  while (performance.now() - started < PUSH_TIMEOUT_MS) {
    const response = await fetch(`${baseUrl}/v1/workers/${id}`);
    const entry = (await response.json()) as { commit?: { oid?: string } };
    if (entry.commit?.oid === oid) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${id} at ${oid} was not served within ${PUSH_TIMEOUT_MS} ms`);
}

function refreshLogLines(output: string): Array<{ syncMs: number; indexMs: number }> {
  const lines: Array<{ syncMs: number; indexMs: number }> = [];
  for (const text of output.split('\n')) {
    if (!text.includes('"catalog refreshed"')) continue;
    const line = JSON.parse(text) as { syncMs: number; indexMs: number };
    lines.push({ syncMs: line.syncMs, indexMs: line.indexMs });
  }
  return lines;
}

function printTable(results: readonly SizeResult[], pushes: number): void {
  const lines = [
    `webhook → new version served, ${pushes} pushes per size (after ${WARMUP_PUSHES} warm-up pushes), polled every ${POLL_MS} ms`,
    '',
    '| branches | repository built | service ready | p50 | p99 | max | engine: fetch p50 | engine: index p50 |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    lines.push(`| ${result.branches.toLocaleString('en-US')} | ${result.setupSeconds.toFixed(1)} s | ${result.startSeconds.toFixed(1)} s | ${percentile(result.latenciesMs, 50).toFixed(1)} ms | ${percentile(result.latenciesMs, 99).toFixed(1)} ms | ${Math.max(...result.latenciesMs).toFixed(1)} ms | ${percentile(result.syncMs, 50)} ms | ${percentile(result.indexMs, 50)} ms |`);
  }
  const smallest = results[0];
  const largest = results.at(-1);
  if (smallest !== undefined && largest !== undefined && largest !== smallest) {
    const ratio = percentile(largest.latenciesMs, 99) / percentile(smallest.latenciesMs, 99);
    lines.push('', `p99 at ${largest.branches.toLocaleString('en-US')} branches / p99 at ${smallest.branches.toLocaleString('en-US')}: ${ratio.toFixed(2)}× (target ≤ 1.5×)`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-refresh: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
