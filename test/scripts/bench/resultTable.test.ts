// The table judges each figure against the target only at the size
// the target names, says n/a when there is no saved state, and relates each
// HTTP figure to the hello-world runs on either side of it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resultTable, type RunSettings } from '../../../scripts/bench/resultTable.js';

const SETTINGS: RunSettings = { pushes: 20, warmupPushes: 3, refreshes: 1000, httpSeconds: 10, connections: 10 };
const native = { ms: 2000, branches: 0, blobs: 0, bytes: 0, missing: 0 };
const cold = (indexMs: number) => ({ indexMs, processMs: indexMs + 500, kind: 'local', branches: 0, workers: 0, rssBytes: 1e8, native });
const start = { listeningMs: 900, readyMs: 20_000, loggedIndexMs: 19_000, workers: 10_000 };

/** The cells of the row whose first cell starts with `measurement`, at `branches`. */
function row(table: string, measurement: string, branches: string): string[] {
  const found = table.split('\n').map((line) => line.split(' | ')).find((cells) => cells[0]!.startsWith(`| ${measurement}`) && cells[1] === branches);
  assert.ok(found, `no row ${measurement} at ${branches} in\n${table}`);
  return found;
}

test('cold index: the ratio to native git, judged at 10,000 branches only', () => {
  const table = resultTable([
    { branches: 100, setupMs: 1, cold: cold(900) },
    { branches: 10_000, setupMs: 1, cold: cold(3000) },
  ], SETTINGS);
  assert.deepEqual(row(table, 'cold index', '100').slice(4), ['0.45×', '≤ 2× native at 10,000', '— |']);
  assert.deepEqual(row(table, 'cold index', '10,000').slice(4), ['1.50×', '≤ 2× native at 10,000', 'yes |']);
  const slow = resultTable([{ branches: 10_000, setupMs: 1, cold: cold(4100) }], SETTINGS);
  assert.deepEqual(row(slow, 'cold index', '10,000').slice(4), ['2.05×', '≤ 2× native at 10,000', '**no** |']);
});

test('warm restart: n/a without a saved state; the logged index time against 0.5 s with one; its settled RSS against 200 MB', () => {
  const restartRss = { readyBytes: 300e6, settledBytes: 250e6 };
  const none = resultTable([{ branches: 10_000, setupMs: 1, warm: { first: start, restart: start, savedFiles: 0, savedBytes: 0, restartRss } }], SETTINGS);
  assert.equal(row(none, 'warm restart', '10,000')[2], 'n/a (no saved state yet)');
  assert.equal(none.includes('after a warm restart'), false, 'no RSS row for a restart that had nothing to restart from');
  const saved = resultTable([{ branches: 10_000, setupMs: 1, warm: { first: start, restart: { ...start, loggedIndexMs: 420, readyMs: 1500 }, savedFiles: 1, savedBytes: 5e7, restartRss } }], SETTINGS);
  assert.equal(row(saved, 'warm restart', '10,000').at(-1), 'yes |');
  assert.deepEqual(row(saved, 'RSS of the service after a warm restart', '10,000').slice(2), ['250 MB', 'at ready: 300 MB', '0.83×', '≤ 200 MB at 10,000', '**no** |']);
});

test('http: each ratio is to the mean of the hello-world runs before and after it; server CPU per request beside it', () => {
  const figure = (name: string, requestsPerSecond: number) => ({ name, requestsPerSecond, p99Ms: 1, requests: requestsPerSecond * 10, cpuUsPerRequest: 1e6 / requestsPerSecond });
  const table = resultTable([{
    branches: 10_000,
    setupMs: 1,
    http: {
      hello: [figure('hello', 10_000), figure('hello', 12_000), figure('hello', 8000), figure('hello', 10_000), figure('hello', 10_000)],
      figures: [
        figure('GET /workers', 5500),
        figure('GET /v1/workers?limit=50', 9000),
        figure('GET /v1/workers?limit=50, If-None-Match → 304', 8550),
        figure('GET /workers/:id/PKGBUILD', 7000),
      ],
    },
  }], SETTINGS);
  assert.equal(row(table, 'GET /workers', '10,000')[4], '0.50×');
  assert.match(row(table, 'GET /workers', '10,000')[2]!, /server CPU 182 µs \/ request/);
  assert.match(row(table, 'GET /workers', '10,000')[3]!, /hello-world around it: 11,000 req\/s, 92 µs \/ request/);
  assert.deepEqual(row(table, 'GET /v1/workers?limit=50', '10,000').slice(4), ['0.90×', '≥ 0.9× hello-world', 'yes |']);
  assert.deepEqual(row(table, 'GET /v1/workers?limit=50, If-None-Match → 304', '10,000').slice(4), ['0.95×', '≥ 1.0× hello-world', '**no** |']);
});

test('memory: RSS over 200 MB or a rising line is not met', () => {
  const samples = (start: number, step: number) => Array.from({ length: 11 }, (_, i) => ({ refreshes: i * 100, rssBytes: start + i * step }));
  const run = (start: number, step: number, slope: number, settled = start): string => resultTable([{
    branches: 10_000,
    setupMs: 1,
    live: { readyMs: 1, rssLoadedBytes: start, rssSettledBytes: settled },
    memory: { samples: samples(start, step), ran: 1000, timedOut: false, slopeMbPer100: slope, settled: { refreshes: 1000, rssBytes: settled }, peakBytes: start + 11 * step, nextPush: 1000 },
  }], SETTINGS);
  assert.equal(row(run(150e6, 0, 0), 'RSS after 1,000 refreshes', '10,000').at(-1), 'yes |');
  assert.equal(row(run(150e6, 2e6, 2), 'RSS after 1,000 refreshes', '10,000').at(-1), '**no** |');
  assert.equal(row(run(210e6, 0, 0), 'RSS of the service', '10,000').at(-1), '**no** |');
  // Settling is judged on its own: under 200 MB once settled is met even when ready was over.
  const settledBelow = run(210e6, 0, 0, 190e6);
  assert.equal(row(settledBelow, 'RSS of the service', '10,000').at(-1), '**no** |');
  assert.deepEqual(row(settledBelow, 'the same, settled', '10,000').slice(2, 5), ['190 MB', 'at ready: 210 MB', '0.90×']);
  assert.equal(row(settledBelow, 'the same, settled', '10,000').at(-1), 'yes |');
  assert.match(row(settledBelow, 'RSS after 1,000 refreshes', '10,000')[2]!, /settled 190 MB/);
});
