// resultTable: turns one run's measurements into the table `npm run bench`
// prints, each figure beside its same-run reference, the ratio, the issue's
// target and whether it was met, followed by the notes a reader needs.

import { percentile } from '../lib/percentile.js';
import { REFRESH_POLL_MS } from '../lib/refreshPushes.js';
import type { ColdIndexResult } from './coldIndex.js';
import type { HttpResult } from './http.js';
import { formatCount, formatDuration, formatMegabytes, formatMs, formatRatio, markdownTable } from './markdownTable.js';
import type { MemoryGrowthResult } from './memory.js';
import type { RefreshResult } from './refresh.js';
import type { WarmRestartResult } from './warmRestart.js';

/** The size the issue's targets are stated at. */
export const TARGET_BRANCHES = 10_000;
/** "No growth trend": the fitted line may rise by less than this over 100 refreshes. */
export const GROWTH_LIMIT_MB_PER_100 = 1;

export interface SizeResult {
  readonly branches: number;
  readonly setupMs: number;
  readonly cold?: ColdIndexResult;
  readonly warm?: WarmRestartResult;
  /** The service mirroring the catalog over HTTP, for refresh, memory and HTTP. */
  readonly live?: {
    readonly readyMs: number;
    /** At the first /ready 200. */
    readonly rssLoadedBytes: number;
    /** Once the service, left alone, has saved its index and run its quiet collection. */
    readonly rssSettledBytes: number;
  };
  readonly refresh?: RefreshResult;
  readonly memory?: MemoryGrowthResult;
  readonly http?: HttpResult;
}

export interface RunSettings {
  readonly pushes: number;
  readonly warmupPushes: number;
  readonly refreshes: number;
  readonly httpSeconds: number;
  readonly connections: number;
}

type Row = [measurement: string, branches: string, result: string, reference: string, ratio: string, target: string, met: string];

const met = (ok: boolean | undefined): string => (ok === undefined ? '—' : ok ? 'yes' : '**no**');
const atTarget = (branches: number): boolean => branches === TARGET_BRANCHES;

export function resultTable(results: readonly SizeResult[], settings: RunSettings): string {
  const rows: Row[] = [];
  for (const size of results) if (size.cold !== undefined) rows.push(coldRow(size.branches, size.cold));
  for (const size of results) if (size.warm !== undefined) rows.push(...warmRows(size.branches, size.warm));
  rows.push(...refreshRows(results, settings));
  rows.push(...memoryRows(results, settings));
  for (const size of results) if (size.http !== undefined) rows.push(...httpRows(size.branches, size.http, settings));
  return markdownTable([
    { title: 'measurement', align: 'left' },
    { title: 'branches', align: 'right' },
    { title: 'result', align: 'right' },
    { title: 'reference, same run', align: 'right' },
    { title: 'ratio', align: 'right' },
    { title: 'target (issue 6)', align: 'left' },
    { title: 'met', align: 'left' },
  ], rows);
}

function coldRow(branches: number, cold: ColdIndexResult): Row {
  const ratio = cold.indexMs / cold.native.ms;
  return [
    'cold index: openCatalogRepository + firstIndex of a local bare repository, fresh process, no saved state',
    formatCount(branches),
    cold.child === undefined
      ? `${formatDuration(cold.indexMs)} (process ${formatDuration(cold.processMs)})`
      : `${formatDuration(cold.indexMs)}: in a child process ${formatDuration(cold.child.indexMs)} + its save ${formatDuration(cold.child.saveMs)} + load ${formatDuration(cold.child.loadMs)} (process ${formatDuration(cold.processMs)})`,
    `native for-each-ref + cat-file --batch: ${formatDuration(cold.native.ms)}`,
    formatRatio(ratio),
    '≤ 2× native at 10,000',
    met(atTarget(branches) ? ratio <= 2 : undefined),
  ];
}

function warmRows(branches: number, warm: WarmRestartResult): Row[] {
  const first: Row = [
    'service start, no saved state → /ready 200 (local repository)',
    formatCount(branches),
    `${formatDuration(warm.first.readyMs)} (index ${formatDuration(warm.first.loggedIndexMs ?? Number.NaN)} in its log)`,
    `listening after ${formatDuration(warm.first.listeningMs)}`,
    '',
    '',
    '—',
  ];
  if (warm.savedFiles === 0) {
    return [first, ['warm restart, saved state → /ready 200', formatCount(branches), 'n/a (no saved state yet)', `restart without one: ${formatDuration(warm.restart.readyMs)}`, '', '≤ 0.5 s at 10,000', '—']];
  }
  const indexMs = warm.restart.loggedIndexMs ?? warm.restart.readyMs;
  return [first, [
    `warm restart, saved state (${warm.savedFiles} ${warm.savedFiles === 1 ? 'file' : 'files'}, ${formatMegabytes(warm.savedBytes)}) → /ready 200`,
    formatCount(branches),
    `index ${formatDuration(indexMs)} in its log; /ready ${formatDuration(warm.restart.readyMs)} after spawn (listening at ${formatDuration(warm.restart.listeningMs)})`,
    `first start: index ${formatDuration(warm.first.loggedIndexMs ?? warm.first.readyMs)}`,
    formatRatio(indexMs / (warm.first.loggedIndexMs ?? warm.first.readyMs)),
    '≤ 0.5 s at 10,000 (index, as logged)',
    met(atTarget(branches) ? indexMs <= 500 : undefined),
  ]];
}

function refreshRows(results: readonly SizeResult[], settings: RunSettings): Row[] {
  const measured = results.filter((size) => size.refresh !== undefined);
  const smallest = measured[0];
  return measured.map((size): Row => {
    const latencies = size.refresh!.latenciesMs;
    const p99 = percentile(latencies, 99);
    const smallestP99 = smallest === undefined ? Number.NaN : percentile(smallest.refresh!.latenciesMs, 99);
    const compared = smallest !== undefined && smallest !== size;
    return [
      `one-branch refresh, webhook → new commit served (mirror over HTTP; ${settings.pushes} pushes, polled every ${REFRESH_POLL_MS} ms)`,
      formatCount(size.branches),
      `p50 ${formatMs(percentile(latencies, 50))}, p99 ${formatMs(p99)}`,
      compared ? `p99 at ${formatCount(smallest.branches)}: ${formatMs(smallestP99)}` : '',
      compared ? formatRatio(p99 / smallestP99) : '',
      compared ? `≤ 1.5× the p99 at ${formatCount(smallest.branches)}` : '',
      met(compared && atTarget(size.branches) ? p99 / smallestP99 <= 1.5 : undefined),
    ];
  });
}

function memoryRows(results: readonly SizeResult[], settings: RunSettings): Row[] {
  const rows: Row[] = [];
  for (const size of results) {
    if (size.live === undefined) continue;
    const { rssLoadedBytes, rssSettledBytes } = size.live;
    rows.push([
      'RSS of the service (VmRSS), index loaded (mirror), at ready, before any request',
      formatCount(size.branches),
      formatMegabytes(rssLoadedBytes),
      '',
      '',
      '≤ 200 MB at 10,000',
      met(atTarget(size.branches) ? rssLoadedBytes <= 200e6 : undefined),
    ], settledRow('the same, settled: left alone after ready until the index was saved and the quiet collection ran', size.branches, rssLoadedBytes, rssSettledBytes));
  }
  for (const size of results) {
    const rss = size.warm?.savedFiles === 0 ? undefined : size.warm?.restartRss;
    if (rss !== undefined) rows.push(settledRow('RSS of the service after a warm restart (local repository), settled', size.branches, rss.readyBytes, rss.settledBytes));
  }
  for (const size of results) {
    const memory = size.memory;
    if (memory === undefined) continue;
    const last = memory.samples.at(-1)!;
    const first = memory.samples[0]!;
    rows.push([
      `RSS after ${formatCount(memory.ran)} refreshes${memory.timedOut ? ` (time bound hit; ${formatCount(settings.refreshes)} asked)` : ''}`,
      formatCount(size.branches),
      `${formatMegabytes(last.rssBytes)}, settled ${formatMegabytes(memory.settled.rssBytes)}; slope ${memory.slopeMbPer100 >= 0 ? '+' : ''}${memory.slopeMbPer100.toFixed(2)} MB / 100 refreshes; peak ${formatMegabytes(memory.peakBytes)}`,
      `before them: ${formatMegabytes(first.rssBytes)}`,
      formatRatio(last.rssBytes / first.rssBytes),
      `≤ 200 MB, no growth trend (slope < ${GROWTH_LIMIT_MB_PER_100} MB / 100)`,
      met(atTarget(size.branches) ? last.rssBytes <= 200e6 && memory.slopeMbPer100 < GROWTH_LIMIT_MB_PER_100 : undefined),
    ]);
  }
  return rows;
}

/** A settled RSS beside the same service's RSS at ready, against the 200 MB target. */
function settledRow(measurement: string, branches: number, readyBytes: number, settledBytes: number): Row {
  return [
    measurement,
    formatCount(branches),
    formatMegabytes(settledBytes),
    `at ready: ${formatMegabytes(readyBytes)}`,
    formatRatio(settledBytes / readyBytes),
    '≤ 200 MB at 10,000',
    met(atTarget(branches) ? settledBytes <= 200e6 : undefined),
  ];
}

function httpRows(branches: number, http: HttpResult, settings: RunSettings): Row[] {
  const helloRates = http.hello.map((figure) => figure.requestsPerSecond);
  const targets: Record<string, number> = { 'GET /v1/workers?limit=50': 0.9, 'GET /v1/workers?limit=50, If-None-Match → 304': 1.0 };
  const rows: Row[] = [[
    `Fastify hello-world, own process (autocannon ${settings.connections} connections, ${settings.httpSeconds} s; run before and after each target)`,
    '—',
    `${formatCount(helloRates.reduce((sum, rate) => sum + rate, 0) / helloRates.length)} req/s (mean); server CPU ${formatMicros(mean(http.hello.map((figure) => figure.cpuUsPerRequest)))} / request`,
    `runs: ${helloRates.map(formatCount).join(', ')}`,
    '',
    '',
    '—',
  ]];
  http.figures.forEach((figure, index) => {
    const around = [http.hello[index], http.hello[index + 1]];
    const hello = mean(around.map((run) => run?.requestsPerSecond ?? Number.NaN));
    const helloCpu = mean(around.map((run) => run?.cpuUsPerRequest ?? Number.NaN));
    const ratio = figure.requestsPerSecond / hello;
    const target = targets[figure.name];
    rows.push([
      figure.name,
      formatCount(branches),
      `${formatCount(figure.requestsPerSecond)} req/s (p99 ${figure.p99Ms} ms); server CPU ${formatMicros(figure.cpuUsPerRequest)} / request`,
      `hello-world around it: ${formatCount(hello)} req/s, ${formatMicros(helloCpu)} / request`,
      formatRatio(ratio),
      target === undefined ? '' : `≥ ${target.toFixed(1)}× hello-world`,
      met(target === undefined || !atTarget(branches) ? undefined : ratio >= target),
    ]);
  });
  return rows;
}

/** The RSS series of the long refresh run, one sample per line's entry. */
export function memorySeries(results: readonly SizeResult[]): string[] {
  return results.flatMap((size) => (size.memory === undefined
    ? []
    : [`RSS every 100 refreshes at ${formatCount(size.branches)} branches (MB): ${size.memory.samples.map((sample) => `${sample.refreshes}: ${(sample.rssBytes / 1e6).toFixed(0)}`).join(', ')}`]));
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function formatMicros(value: number): string {
  return `${value.toFixed(0)} µs`;
}
