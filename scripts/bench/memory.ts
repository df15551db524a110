// memory: the service process's resident set (VmRSS in /proc/PID/status),
// once with the index loaded and then every `every` refreshes over a long run
// of pushes, each sent once the previous one is served (as fast as the
// service takes them), bounded in count and in time; a least-squares line
// through the samples shows a growth trend. After the last push the run
// waits `settleMs` with nothing sent, so that the service's quiet collection
// has run, and samples once more: what the refreshes left that is not garbage.

import { readFile } from 'node:fs/promises';
import { pushAndWait, type PushTarget } from '../lib/refreshPushes.js';

export interface MemorySample {
  readonly refreshes: number;
  readonly rssBytes: number;
  /** What the resident set is made of, when it was read: see ProcessMemory. */
  readonly parts?: MemoryParts;
}

/** The resident set split by kind (/proc/PID/status) and the main thread's V8 heap (the service's /metrics). */
export interface MemoryParts {
  /** Anonymous memory: every thread's V8 heap, malloc'd space (Buffers, zlib, git), stacks. */
  readonly anonBytes: number;
  /** Mapped files: the node binary and its libraries. */
  readonly fileBytes: number;
  readonly threads: number;
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  /** Memory V8 knows is held outside its heap: Buffers and ArrayBuffers. */
  readonly externalBytes: number;
}

export interface MemoryGrowthResult {
  readonly samples: readonly MemorySample[];
  /** Refreshes that ran: fewer than asked when the time bound came first. */
  readonly ran: number;
  readonly timedOut: boolean;
  /** The least-squares slope through the samples, MB (10^6 bytes) per 100 refreshes. */
  readonly slopeMbPer100: number;
  /** The resident set once the service had been left alone for settleMs after the last push. */
  readonly settled: MemorySample;
  /** The peak resident set of the process's whole life (VmHWM). */
  readonly peakBytes: number;
  readonly nextPush: number;
}

/** VmRSS and VmHWM of a Linux process, in bytes, and the kinds of resident memory. */
export async function readProcessMemory(pid: number): Promise<{ rssBytes: number; peakBytes: number; anonBytes: number; fileBytes: number; threads: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status);
    if (match === null) throw new Error(`/proc/${pid}/status has no ${name}`);
    return Number(match[1]);
  };
  return {
    rssBytes: field('VmRSS') * 1024,
    peakBytes: field('VmHWM') * 1024,
    anonBytes: field('RssAnon') * 1024,
    fileBytes: field('RssFile') * 1024,
    threads: field('Threads'),
  };
}

/** The sample's parts: /proc/PID/status and the V8 heap gauges of the service's /metrics (prom-client's defaults). */
export async function readMemoryParts(pid: number, baseUrl: string): Promise<{ rssBytes: number; parts: MemoryParts }> {
  const processMemory = await readProcessMemory(pid);
  const response = await fetch(new URL('/metrics', baseUrl), { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const metrics = await response.text();
  const gauge = (name: string): number => {
    const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics);
    if (match === null) throw new Error(`GET /metrics has no ${name}`);
    return Number(match[1]);
  };
  return {
    rssBytes: processMemory.rssBytes,
    parts: {
      anonBytes: processMemory.anonBytes,
      fileBytes: processMemory.fileBytes,
      threads: processMemory.threads,
      heapUsedBytes: gauge('nodejs_heap_size_used_bytes'),
      heapTotalBytes: gauge('nodejs_heap_size_total_bytes'),
      externalBytes: gauge('nodejs_external_memory_bytes'),
    },
  };
}

/** One line of a sample's parts, in MB. */
export function formatMemoryParts(parts: MemoryParts): string {
  const mb = (bytes: number): string => (bytes / 1e6).toFixed(0);
  return `anon ${mb(parts.anonBytes)}, file ${mb(parts.fileBytes)}, heap used ${mb(parts.heapUsedBytes)} of ${mb(parts.heapTotalBytes)}, external ${mb(parts.externalBytes)}, ${parts.threads} threads`;
}

export interface MemoryGrowthOptions {
  readonly target: PushTarget;
  readonly pid: number;
  readonly refreshes: number;
  readonly every: number;
  readonly timeLimitMs: number;
  readonly firstPush: number;
  /** How long to leave the service alone after the last push before the settled sample. */
  readonly settleMs: number;
  /** Called after each sample, so a long run shows its progress. */
  readonly onSample?: (sample: MemorySample) => void;
}

export async function measureMemoryGrowth(options: MemoryGrowthOptions): Promise<MemoryGrowthResult> {
  const { target, pid, every } = options;
  const sample = async (refreshes: number): Promise<MemorySample> => {
    const value = { refreshes, ...await readMemoryParts(pid, target.baseUrl) };
    options.onSample?.(value);
    return value;
  };
  const samples: MemorySample[] = [await sample(0)];
  const deadline = performance.now() + options.timeLimitMs;
  let ran = 0;
  while (ran < options.refreshes && performance.now() < deadline) {
    await pushAndWait(target, options.firstPush + ran);
    ran += 1;
    if (ran % every === 0) samples.push(await sample(ran));
  }
  if (ran % every !== 0) samples.push(await sample(ran));
  await new Promise((resolve) => setTimeout(resolve, options.settleMs));
  const settled = await sample(ran);
  const points = samples.map((point) => ({ x: point.refreshes / 100, y: point.rssBytes / 1e6 }));
  return {
    samples,
    ran,
    timedOut: ran < options.refreshes,
    slopeMbPer100: leastSquaresSlope(points),
    settled,
    peakBytes: (await readProcessMemory(pid)).peakBytes,
    nextPush: options.firstPush + ran,
  };
}

/** The resident set, in bytes, after `waitMs` in which the caller sends the service nothing. */
export async function settledRss(pid: number, waitMs: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  return (await readProcessMemory(pid)).rssBytes;
}

/** The slope of the least-squares line through `points`; NaN with fewer than two distinct x. */
export function leastSquaresSlope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const n = points.length;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.x - meanX) * (point.y - meanY);
    variance += (point.x - meanX) ** 2;
  }
  return variance === 0 ? Number.NaN : covariance / variance;
}
