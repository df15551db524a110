// bench-api: server-side latency of the catalog API v1 over 10,000 workers.
//
//   npm run bench:api                              # 10,000 workers, 2,000 requests per kind
//   npm run bench:api -- --workers=1000 --requests=500
//
// The workers are synthetic (scripts/lib/syntheticWorkers.ts: the nine
// fixture workers in turn, renamed, through the real indexing). The service
// listens on loopback; a client in a child process (so its own allocations
// and parsing are not charged to the server) sends one request at a time over
// a keep-alive connection. Latency is the server's own, from Fastify's
// request start to the response's last byte written (reply.elapsedTime in an
// onResponse hook): routing, validation, the search, writing the answer.
// Each kind varies its queries at random (seeded), sends no validators (no
// 304 shortcuts) and asks for identity encoding, after a warm-up; one more
// row asks for brotli. The same index is served twice, as configured by
// default (search answers kept per index by query) and with that cache off,
// so both costs are in the table. Every loop is bounded in count and time.
//
// Target (issue 5): p99 ≤ 10 ms for a filtered search, a faceted search and
// a multi-info of 100 ids.

import { fork } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { assembleSnapshot } from '../src/catalog/assembleSnapshot.js';
import { CatalogStore } from '../src/catalog/catalogStore.js';
import { percentile } from './lib/percentile.js';
import { syntheticSnapshot } from './lib/syntheticWorkers.js';
import { seededRandom } from './lib/seededRandom.js';

const WARMUP = 200;
const TIME_LIMIT_MS = 120_000;
const GIT_URL = 'https://git.example.test/rbee-worker-catalog.git';

interface BenchRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

interface Kind {
  readonly name: string;
  readonly request: (random: () => number, ids: readonly string[]) => BenchRequest;
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const filteredSearch = (random: () => number): BenchRequest => {
  const filters = [
    `platform=${pick(random, ['linux', 'macos', 'windows'])}`,
    `backend=${pick(random, ['cpu', 'cuda', 'metal', 'rocm'])}`,
    `arch=${pick(random, ['x86_64', 'aarch64'])}`,
    `tag=${pick(random, ['llm', 'gpu', 'image-generation', 'cpu', 'nvidia'])}`,
    `q=${pick(random, ['worker', 'rbee', 'gguf', 'diffusion', 'nvidia+gpu'])}`,
  ].filter(() => random() < 0.6);
  return { method: 'GET', path: `/v1/workers?${[...filters, 'limit=50'].join('&')}` };
};

const KINDS: readonly Kind[] = [
  { name: 'filtered search (limit=50)', request: filteredSearch },
  {
    name: 'faceted search (q, facets=1, limit=50)',
    request: (random) => ({
      method: 'GET',
      path: `/v1/workers?q=${pick(random, ['worker', 'rbee', 'llm', 'stable', 'gpu'])}&facets=1&limit=50${random() < 0.5 ? `&platform=${pick(random, ['linux', 'macos'])}` : ''}`,
    }),
  },
  {
    name: 'multi-info, 100 ids',
    request: (random, ids) => ({ method: 'POST', path: '/v1/workers/info', body: JSON.stringify({ ids: Array.from({ length: 100 }, () => pick(random, ids)) }) }),
  },
  {
    // termScores.ts caches a word's scores per index; words never asked before show the cost without it.
    name: 'search for a word not asked before (facets=1)',
    request: (random, ids) => {
      const id = pick(random, ids);
      const from = Math.floor(random() * (id.length - 4));
      return { method: 'GET', path: `/v1/workers?q=${id.slice(from, from + 3 + Math.floor(random() * 4))}${String(Math.floor(random() * 1e6))}&facets=1` };
    },
  },
  {
    name: 'filtered search, Accept-Encoding: br',
    request: (random) => ({ ...filteredSearch(random), headers: { 'accept-encoding': 'br' } }),
  },
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { workers: { type: 'string', default: '10000' }, requests: { type: 'string', default: '2000' } } });
  const workerCount = Number.parseInt(values.workers, 10);
  const requests = Number.parseInt(values.requests, 10);
  if (!(workerCount >= 1 && workerCount <= 100_000) || !(requests >= 1 && requests <= 100_000)) {
    throw new Error('usage: bench-api [--workers=10000] [--requests=2000]');
  }

  let started = performance.now();
  const snapshot = await syntheticSnapshot(workerCount, GIT_URL);
  const indexSeconds = (performance.now() - started) / 1000;
  const store = new CatalogStore();
  store.swap(snapshot);
  const latencies = new Map<string, number[]>();
  // The same index served twice: as configured by default, and with the per-index answer cache off,
  // so the table shows what the cache buys and what a query costs without it.
  const targets: Array<{ label: string; app: FastifyInstance; url: string }> = [];
  for (const [label, searchAnswerCacheEntries] of [['kept answers (default)', undefined], ['answer cache off', 0]] as const) {
    const app = await buildApp({ store, logger: pino({ level: 'silent' }), serviceVersion: 'bench', cacheMaxAgeSeconds: 3600, ...(searchAnswerCacheEntries === undefined ? {} : { searchAnswerCacheEntries }) });
    app.addHook('onResponse', async (request, reply) => {
      const kind = request.headers['x-bench-kind'];
      if (typeof kind !== 'string' || request.headers['x-bench-warmup'] === '1') return;
      if (reply.statusCode !== 200) throw new Error(`${request.url}: ${reply.statusCode}`);
      latencies.set(`${label}\0${kind}`, [...(latencies.get(`${label}\0${kind}`) ?? []), reply.elapsedTime]);
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no loopback address');
    targets.push({ label, app, url: `http://127.0.0.1:${address.port}` });
  }

  const ids = [...snapshot.workers.keys()];
  await runClient({ urls: targets.map((target) => target.url), ids, requests });

  // A push swaps in a new snapshot: the first search on it builds the search orders.
  store.swap(assembleSnapshot({ builtAt: new Date(), defaultBranch: undefined, branches: snapshot.branches, workers: snapshot.workers }));
  started = performance.now();
  await targets[0]!.app.inject('/v1/workers?q=worker&facets=1');
  const firstSearchMs = performance.now() - started;
  for (const target of targets) await target.app.close();

  const rows = targets.flatMap((target) => KINDS.map((kind) => {
    const measured = latencies.get(`${target.label}\0${kind.name}`) ?? [];
    return `| ${kind.name} | ${target.label} | ${measured.length} | ${fmt(percentile(measured, 50))} | ${fmt(percentile(measured, 95))} | ${fmt(percentile(measured, 99))} | ${fmt(Math.max(...measured))} |`;
  }));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log([
    `catalog API v1, ${workerCount.toLocaleString('en')} synthetic workers: server-side latency (ms), request start to last byte written, one request at a time over loopback`,
    `machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(2)}`,
    '',
    '| request | search answers | n | p50 | p95 | p99 | max |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `indexing the synthetic workers (parsers, rules, PKGBUILD reader; no git): ${indexSeconds.toFixed(1)} s`,
    `first faceted search on a new snapshot (builds its search orders): ${fmt(firstSearchMs)} ms`,
  ].join('\n'));
}

/** The client, in a child process: every kind in turn, warm-up first, bounded in count and time. */
function runClient(options: ClientOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL(import.meta.url), ['--client'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench client exited with ${code}`))));
    child.send(options);
  });
}

interface ClientOptions {
  readonly urls: readonly string[];
  readonly ids: readonly string[];
  readonly requests: number;
}

async function client(options: ClientOptions): Promise<void> {
  const deadline = performance.now() + TIME_LIMIT_MS * KINDS.length * options.urls.length;
  for (const url of options.urls) for (const kind of KINDS) {
    const random = seededRandom(42);
    for (let i = 0; i < WARMUP + options.requests && performance.now() < deadline; i += 1) {
      const request = kind.request(random, options.ids);
      const response = await fetch(`${url}${request.path}`, {
        method: request.method,
        headers: {
          'accept-encoding': 'identity',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
          'x-bench-kind': kind.name,
          'x-bench-warmup': i < WARMUP ? '1' : '0',
        },
        body: request.body,
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${request.path}: ${response.status}`);
    }
  }
}

function fmt(ms: number): string {
  return ms.toFixed(2);
}

const fail = (error: unknown): void => {
  console.error(error);
  process.exit(1);
};

if (process.argv.includes('--client')) {
  process.once('message', (options) => {
    client(options as ClientOptions).then(() => process.exit(0), fail);
  });
} else {
  main().catch(fail);
}
