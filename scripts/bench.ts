// npm run bench: the speed of the catalog at 100, 1,000 and 10,000 branches,
// measured in one run so the ratios hold on a noisy machine, printed as one
// table with the issue's targets beside each figure (issue 6).
//
//   npm run bench
//   npm run bench -- --sizes=100,1000 --only=cold,warm,refresh,memory,http
//   npm run bench -- --sizes=1000 --only=http --http-seconds=5
//
// Per size: a synthetic catalog (scripts/lib/syntheticCatalog.ts: every
// branch a renamed copy of a real fixture worker) written with fast-import,
// then, as selected,
//   cold     the index built in a fresh process, next to native git (bench/coldIndex.ts)
//   warm     the service started, stopped and restarted on its saved state (bench/warmRestart.ts)
//   refresh  one-branch pushes through the webhook until served (bench/refresh.ts)
//   memory   the service's RSS with the index loaded; at the largest size also
//            over a long run of refreshes (bench/memory.ts)
//   http     autocannon against the service at the largest size, next to a
//            bare Fastify hello-world (bench/http.ts)
// Every service runs as the Docker image runs it: compiled, `node dist/server.js`,
// with the image's malloc settings (bench/productionBuild.ts, productionMallocEnv.ts).
// refresh, memory and http share one service that mirrors the catalog from a
// loopback git smart-HTTP server (git http-backend), as in production. Every
// child process is killed and every temporary folder removed on exit; every
// wait is bounded.

import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startGitHttpServer } from './lib/gitHttpServer.js';
import { percentile } from './lib/percentile.js';
import type { PushTarget } from './lib/refreshPushes.js';
import type { ServiceEntry } from './lib/serviceProcess.js';
import { createSyntheticCatalog, syntheticWorkerId } from './lib/syntheticCatalog.js';
import { BenchResources } from './bench/benchResources.js';
import { measureColdIndex } from './bench/coldIndex.js';
import { describeMachine, loadAverage } from './bench/describeMachine.js';
import { measureHttp } from './bench/http.js';
import { formatCount, formatDuration, formatMegabytes } from './bench/markdownTable.js';
import { formatMemoryParts, measureMemoryGrowth, readProcessMemory, settledRss } from './bench/memory.js';
import { buildProductionService } from './bench/productionBuild.js';
import { productionMallocEnv } from './bench/productionMallocEnv.js';
import { measureRefresh } from './bench/refresh.js';
import { memorySeries, resultTable, type RunSettings, type SizeResult } from './bench/resultTable.js';
import { timedStart } from './bench/timedStart.js';
import { measureWarmRestart } from './bench/warmRestart.js';
import { DEFAULT_SAVE_DELAY_MS, SAVE_COST_FACTOR } from '../src/catalog/indexSaver.js';
import { KEEP_DECODED_MS } from '../src/catalog/savedDetails.js';
import { DEFAULT_QUIET_COLLECTION_MS } from '../src/memory/quietCollector.js';

const MEASUREMENTS = ['cold', 'warm', 'refresh', 'memory', 'http'] as const;
type Measurement = (typeof MEASUREMENTS)[number];

const SECRET = 'bench-webhook-secret-0123456789';
const WARMUP_PUSHES = 3;
/** Starting the service at 10,000 branches without saved state takes minutes; this only stops a hung one. */
const READY_TIMEOUT_MS = 30 * 60_000;
const COLD_TIMEOUT_MS = 30 * 60_000;
/**
 * Left alone this long, the service has saved its index, let go of the saved
 * parsed fields anything decoded before (kept until reads stop for
 * KEEP_DECODED_MS, src/catalog/savedDetails.ts) and run the quiet collection
 * that follows that release (src/memory/quietCollector.ts), with 5 s to spare
 * for the save itself. 15 s, without the last two, sampled after 1,000
 * refreshes while chunks the save had decoded were still held (the save now
 * peeks instead, but an HTTP request before the pushes can still leave some).
 */
const SETTLE_MS = DEFAULT_SAVE_DELAY_MS + KEEP_DECODED_MS + DEFAULT_QUIET_COLLECTION_MS + 5000;
/**
 * After a stream of pushes the save waits SAVE_COST_FACTOR times what the last
 * save took instead of DEFAULT_SAVE_DELAY_MS, and that save re-encodes most
 * chunks: 1–1.5 s each at 10,000 branches here, so up to 15 s of waiting and
 * as long again for the save. 30 s sampled after 1,000 refreshes while that
 * save ran (RSS 364 MB at the last push, 399 MB "settled", 2026-12-03).
 */
const GROWTH_SETTLE_MS = SETTLE_MS + SAVE_COST_FACTOR * 3000;
/**
 * warn: no log line per request, so the HTTP figures do not measure logging.
 * Rate limits 0 (off; the limiter's hooks still run): one loopback client
 * polling for refreshes or loading the service would be limited within a second.
 */
// The image's malloc settings (productionMallocEnv): RSS is measured as production would have it.
const BENCH_SERVICE_ENV = { ...productionMallocEnv(), LOG_LEVEL: 'warn', RATE_LIMIT_WORKERS: '0', RATE_LIMIT_WORKER: '0', RATE_LIMIT_PKGBUILD: '0', RATE_LIMIT_API: '0' };

interface Options extends RunSettings {
  readonly sizes: readonly number[];
  readonly only: ReadonlySet<Measurement>;
  readonly refreshSeconds: number;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100,1000,10000' },
      only: { type: 'string', default: MEASUREMENTS.join(',') },
      // 100, so that the p99 (nearest rank) is the second slowest push rather than the slowest.
      pushes: { type: 'string', default: '100' },
      refreshes: { type: 'string', default: '1000' },
      'refresh-seconds': { type: 'string', default: '600' },
      'http-seconds': { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
    },
  });
  const integer = (name: string, raw: string, min: number, max: number): number => {
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(value >= min && value <= max)) throw new Error(`--${name} must be an integer from ${min} to ${max}, got ${raw}`);
    return value;
  };
  const sizes = [...new Set(values.sizes.split(',').map((size) => integer('sizes', size.trim(), 1, 100_000)))].sort((a, b) => a - b);
  const only = new Set<Measurement>();
  for (const name of values.only.split(',').map((part) => part.trim())) {
    const measurement = MEASUREMENTS.find((candidate) => candidate === name);
    if (measurement === undefined) throw new Error(`--only takes ${MEASUREMENTS.join(', ')}; got ${name}`);
    only.add(measurement);
  }
  return {
    sizes,
    only,
    pushes: integer('pushes', values.pushes, 1, 10_000),
    warmupPushes: WARMUP_PUSHES,
    refreshes: integer('refreshes', values.refreshes, 0, 100_000),
    refreshSeconds: integer('refresh-seconds', values['refresh-seconds'], 1, 3600),
    httpSeconds: integer('http-seconds', values['http-seconds'], 1, 120),
    connections: integer('connections', values.connections, 1, 1000),
  };
}

const progress = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

async function benchSize(branches: number, options: Options, resources: BenchResources, entry: ServiceEntry): Promise<SizeResult> {
  const { only } = options;
  const largest = branches === options.sizes.at(-1);
  const root = await resources.tempDir(`rbee-bench-${branches}-`);
  const gitdir = path.join(root, 'served', 'catalog.git');
  progress(`${branches} branches: writing the synthetic catalog`);
  let started = performance.now();
  await createSyntheticCatalog(gitdir, branches);
  let result: SizeResult = { branches, setupMs: performance.now() - started };

  if (only.has('cold')) {
    progress(`${branches} branches: cold index in a fresh process, and native git`);
    result = { ...result, cold: await measureColdIndex({ gitdir, timeoutMs: COLD_TIMEOUT_MS, resources }) };
  }
  if (only.has('warm')) {
    progress(`${branches} branches: service start, stop, restart on its saved state`);
    result = { ...result, warm: await measureWarmRestart({ gitdir, cacheDir: path.join(root, 'warm-cache'), readyTimeoutMs: READY_TIMEOUT_MS, resources, entry, settleMs: SETTLE_MS }) };
  }
  const wantsHttp = only.has('http') && largest;
  const wantsGrowth = only.has('memory') && largest && options.refreshes > 0;
  if (only.has('refresh') || only.has('memory') || wantsHttp) {
    const gitServer = await startGitHttpServer({ root: path.join(root, 'served') });
    const closeGitServer = (): Promise<void> => gitServer.close();
    resources.onClose(closeGitServer);
    progress(`${branches} branches: the service mirroring the catalog over HTTP`);
    started = performance.now();
    const service = await timedStart({
      env: { CATALOG_REPO: gitServer.urlFor('catalog.git'), CATALOG_CACHE_DIR: path.join(root, 'live-cache'), WEBHOOK_SECRET: SECRET, CATALOG_POLL_SECONDS: '0', ...BENCH_SERVICE_ENV },
      readyTimeoutMs: READY_TIMEOUT_MS,
      resources,
      entry,
    });
    const rssLoadedBytes = (await readProcessMemory(service.pid)).rssBytes;
    progress(`${branches} branches: RSS ${formatMegabytes(rssLoadedBytes)} at ready; leaving the service alone for ${SETTLE_MS / 1000} s`);
    const rssSettledBytes = await settledRss(service.pid, SETTLE_MS);
    result = { ...result, live: { readyMs: service.readyMs, rssLoadedBytes, rssSettledBytes } };
    const target: PushTarget = { baseUrl: service.baseUrl, gitdir, secret: SECRET, branches };
    let nextPush = 0;
    if (wantsHttp) {
      progress(`${branches} branches: HTTP load, ${options.httpSeconds} s per target`);
      result = { ...result, http: await measureHttp({ serviceUrl: service.baseUrl, servicePid: service.pid, workerId: syntheticWorkerId(Math.floor(branches / 2)), seconds: options.httpSeconds, warmupSeconds: 2, connections: options.connections, resources }) };
    }
    if (only.has('refresh')) {
      progress(`${branches} branches: ${options.pushes} one-branch refreshes`);
      const refresh = await measureRefresh({ target, pushes: options.pushes, warmup: WARMUP_PUSHES, firstPush: nextPush });
      nextPush = refresh.nextPush;
      result = { ...result, refresh };
    }
    if (wantsGrowth) {
      progress(`${branches} branches: RSS over ${options.refreshes} refreshes (at most ${options.refreshSeconds} s)`);
      const memory = await measureMemoryGrowth({
        target,
        pid: service.pid,
        refreshes: options.refreshes,
        every: 100,
        timeLimitMs: options.refreshSeconds * 1000,
        firstPush: nextPush,
        settleMs: GROWTH_SETTLE_MS,
        onSample: (sample) => progress(`  ${sample.refreshes} refreshes: RSS ${formatMegabytes(sample.rssBytes)}${sample.parts === undefined ? '' : ` (${formatMemoryParts(sample.parts)})`}`),
      });
      result = { ...result, memory };
    }
    await resources.closeNow(service.stop);
    await resources.closeNow(closeGitServer);
  }
  await resources.removeDir(root);
  return result;
}

function notes(results: readonly SizeResult[], options: Options): string[] {
  const lines: string[] = [];
  for (const size of results) {
    const parts = [`synthetic catalog written in ${formatDuration(size.setupMs)}`];
    if (size.cold !== undefined) {
      parts.push(`cold index served ${formatCount(size.cold.workers)} workers of ${formatCount(size.cold.branches)} branches (repository kind ${size.cold.kind}), child RSS ${formatMegabytes(size.cold.rssBytes)}${size.cold.child === undefined ? '' : ` (its indexing child's peak: ${formatMegabytes(size.cold.child.peakRssBytes)})`}; native git read ${formatCount(size.cold.native.blobs)} blobs, ${formatMegabytes(size.cold.native.bytes)}`);
    }
    if (size.live !== undefined) parts.push(`mirror service ready (clone + index) after ${formatDuration(size.live.readyMs)}`);
    if (size.refresh !== undefined) parts.push(`refresh max ${percentile(size.refresh.latenciesMs, 100).toFixed(1)} ms`);
    lines.push(`- ${formatCount(size.branches)} branches: ${parts.join('; ')}.`);
  }
  lines.push(...memorySeries(results).map((line) => `- ${line}`));
  const p99Rank = Math.ceil(0.99 * options.pushes);
  const p99Is = p99Rank >= options.pushes ? 'the slowest push' : `push ${p99Rank} of ${options.pushes} by latency (nearest rank)`;
  lines.push(`- Refresh: ${options.pushes} timed pushes per size after ${WARMUP_PUSHES} warm-up pushes; the p99 is ${p99Is}.`);
  return lines;
}

async function main(): Promise<void> {
  const options = readOptions();
  const resources = new BenchResources();
  process.once('exit', () => resources.closeSync());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping every child process and removing temporary folders`);
      resources.close().finally(() => process.exit(130));
    });
  }
  const machine = await describeMachine();
  const loadAtStart = loadAverage();
  const startedAt = new Date();
  const results: SizeResult[] = [];
  let entryArgs: readonly string[] = [];
  try {
    progress('compiling the service as the Docker image does');
    const entry = await buildProductionService(resources);
    entryArgs = entry.args;
    for (const branches of options.sizes) results.push(await benchSize(branches, options, resources, entry));
  } finally {
    await resources.close();
  }
  const command = `npm run bench -- --sizes=${options.sizes.join(',')} --only=${[...options.only].join(',')}`;
  process.stdout.write([
    `rbee worker catalog, npm run bench, ${startedAt.toISOString().slice(0, 10)}: ${command}`,
    `machine: ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB.toFixed(1)} GiB, Node ${machine.node}, git ${machine.git}, ${os.platform()} ${os.release()}`,
    `load average (1 / 5 / 15 min): ${loadAtStart} at the start, ${loadAverage()} at the end; ${formatDuration(Date.now() - startedAt.getTime())} in all`,
    `services: as the Docker image runs them, compiled (node ${entryArgs.join(' ')}), with ${Object.entries(productionMallocEnv()).map(([key, value]) => `${key}=${value}`).join(' ')}`,
    '',
    resultTable(results, options),
    '',
    ...notes(results, options),
    '',
  ].join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
