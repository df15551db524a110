// bench-refresh: how long from a GitHub push webhook to the new version being
// served, at 100, 1,000 and 10,000 worker branches.
//
//   npm run bench:refresh                      # 100, 1,000 and 10,000 branches, 40 pushes each
//   npm run bench:refresh -- --sizes=100,1000 --pushes=60
//
// For each size: a synthetic catalog (scripts/lib/syntheticCatalog.ts) behind
// a loopback git smart-HTTP server (git http-backend), and the real service
// (src/server.ts) in a child process mirroring it over HTTP. Then one push at
// a time, timed from the webhook to the new commit served
// (scripts/lib/refreshPushes.ts, shared with `npm run bench`).
//
// Targets (issue 3): p99 ≤ 500 ms at 1,000 branches; the 10,000-branch p99 at
// most 1.5× the 100-branch p99.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startGitHttpServer } from './lib/gitHttpServer.js';
import { percentile } from './lib/percentile.js';
import { pushAndWait, REFRESH_POLL_MS, refreshLogLines } from './lib/refreshPushes.js';
import { startService } from './lib/serviceProcess.js';
import { createSyntheticCatalog } from './lib/syntheticCatalog.js';

const SECRET = 'bench-webhook-secret-0123456789';
const WARMUP_PUSHES = 3;
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
      // Polling every 2 ms from one address would hit the per-address limit (0 = off).
      RATE_LIMIT_API: '0',
    }, { readyTimeoutMs: READY_TIMEOUT_MS });
    const startSeconds = (performance.now() - started) / 1000;
    try {
      const latenciesMs: number[] = [];
      const target = { baseUrl: service.baseUrl, gitdir, secret: SECRET, branches };
      for (let push = 0; push < WARMUP_PUSHES + pushes; push += 1) {
        const latency = await pushAndWait(target, push);
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

function printTable(results: readonly SizeResult[], pushes: number): void {
  const lines = [
    `webhook → new version served, ${pushes} pushes per size (after ${WARMUP_PUSHES} warm-up pushes), polled every ${REFRESH_POLL_MS} ms`,
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
