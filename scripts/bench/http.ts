// http: requests/s of the service's hottest answers with autocannon (loopback,
// fixed connections, bounded duration, after a short untimed warm-up each),
// next to a bare Fastify hello-world in its own process (helloWorldServer.ts)
// measured with the same settings before and after EACH target: a target's
// ratio is to the mean of the two hello-world runs around it, so a neighbour's
// burst of load on the shared cores skews the ratio less than one figure. Every answer's status is checked: a run that got anything
// but the expected status fails instead of printing a flattering figure.

import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import type { BenchResources } from './benchResources.js';
import { processCpuNs } from './processCpu.js';
import { PROJECT_DIR } from './runTsxScript.js';

const START_TIMEOUT_MS = 30_000;

export interface HttpTarget {
  readonly name: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly expectStatus: number;
}

export interface HttpFigure {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** The server process's CPU time (every thread) per request answered, in microseconds. */
  readonly cpuUsPerRequest: number;
}

export interface HttpResult {
  /** Hello-world runs: one before the first target, then one after each. */
  readonly hello: readonly HttpFigure[];
  /** Target i ran between hello[i] and hello[i + 1]. */
  readonly figures: readonly HttpFigure[];
}

export interface HttpOptions {
  readonly serviceUrl: string;
  /** The service's process, whose CPU time per request is measured. */
  readonly servicePid: number;
  /** A served worker whose PKGBUILD is asked for. */
  readonly workerId: string;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly resources: BenchResources;
}

export async function measureHttp(options: HttpOptions): Promise<HttpResult> {
  const helloServer = await startHelloWorld(options.resources);
  try {
    const list = `${options.serviceUrl}/v1/workers?limit=50`;
    const first = await fetch(list, { signal: AbortSignal.timeout(10_000) });
    await first.arrayBuffer();
    const etag = first.headers.get('etag');
    if (first.status !== 200 || etag === null) throw new Error(`GET /v1/workers?limit=50 answered ${first.status}, ETag ${etag}`);
    const targets: HttpTarget[] = [
      { name: 'GET /workers', url: `${options.serviceUrl}/workers`, expectStatus: 200 },
      { name: 'GET /v1/workers?limit=50', url: list, expectStatus: 200 },
      { name: 'GET /v1/workers?limit=50, If-None-Match → 304', url: list, headers: { 'if-none-match': etag }, expectStatus: 304 },
      { name: 'GET /workers/:id/PKGBUILD', url: `${options.serviceUrl}/workers/${options.workerId}/PKGBUILD`, expectStatus: 200 },
    ];
    const helloTarget: HttpTarget = { name: 'Fastify hello-world', url: `${helloServer.url}/`, expectStatus: 200 };
    const hello: HttpFigure[] = [await load(helloTarget, helloServer.pid, options)];
    const figures: HttpFigure[] = [];
    for (const target of targets) {
      figures.push(await load(target, options.servicePid, options));
      hello.push(await load(helloTarget, helloServer.pid, options));
    }
    return { hello, figures };
  } finally {
    await options.resources.closeNow(helloServer.stop);
  }
}

async function load(target: HttpTarget, serverPid: number, options: HttpOptions): Promise<HttpFigure> {
  const settings = { url: target.url, connections: options.connections, headers: { ...target.headers } };
  if (options.warmupSeconds > 0) check(target, await autocannon({ ...settings, duration: options.warmupSeconds }));
  const cpuBefore = await processCpuNs(serverPid);
  const result = await autocannon({ ...settings, duration: options.seconds });
  const cpuNs = (await processCpuNs(serverPid)) - cpuBefore;
  check(target, result);
  return {
    name: target.name,
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    cpuUsPerRequest: cpuNs / 1000 / result.requests.total,
  };
}

function check(target: HttpTarget, result: autocannon.Result): void {
  const statuses = Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => `${status}×${stats.count ?? 0}`);
  const unexpected = Object.keys(result.statusCodeStats ?? {}).filter((status) => Number(status) !== target.expectStatus);
  if (result.errors > 0 || result.timeouts > 0 || unexpected.length > 0 || result.requests.total === 0) {
    throw new Error(`${target.name}: ${result.errors} errors, ${result.timeouts} timeouts, statuses ${statuses.join(', ') || 'none'} (expected only ${target.expectStatus})`);
  }
}

/** Starts helloWorldServer.ts and resolves once it printed its port. */
async function startHelloWorld(resources: BenchResources): Promise<{ url: string; pid: number; stop: () => Promise<unknown> }> {
  const child = resources.child(spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/helloWorldServer.ts'], {
    cwd: PROJECT_DIR,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  resources.onClose(stop);
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hello-world did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /\{"port":(\d+)\}/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hello-world exited with ${code}:\n${output}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop };
}
