import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricValueWithName } from 'prom-client';
import { CatalogMetrics } from '../../src/metrics/catalogMetrics.js';
import { catalogApp, catalogWorkerIds, emptyApp } from '../helpers/catalogApp.js';
import { postDelivery, pushPayload, SECRET, webhookApp } from '../github/webhookClient.js';
import { startServer } from '../helpers/serverProcess.js';
import { makeTempDir } from '../helpers/tempDir.js';

async function value(metrics: CatalogMetrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric(name);
  assert.ok(metric !== undefined, `${name} is registered`);
  const { values } = await metric.get();
  return values.find((entry) => Object.entries(labels).every(([key, label]) => entry.labels[key] === label))?.value;
}

/** A histogram's series: _bucket, _sum and _count, each named. */
async function series(metrics: CatalogMetrics, name: string): Promise<MetricValueWithName<string>[]> {
  return (await metrics.registry.getSingleMetric(name)!.get()).values as MetricValueWithName<string>[];
}

test('/metrics serves the Prometheus text format with the catalog\'s metrics and the process\'s', async (t) => {
  const { store, snapshot } = await catalogApp(t);
  const metrics = new CatalogMetrics({ current: () => store.current, lastSuccess: () => snapshot.builtAt });
  const app = await emptyApp(t, store, { metrics });
  const response = await app.inject('/metrics');
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  assert.equal(response.headers['cache-control'], 'no-store');
  for (const name of ['catalog_http_requests_total', 'catalog_http_request_duration_seconds', 'catalog_workers_served', 'catalog_branches_rejected', 'catalog_index_duration_seconds', 'catalog_git_fetch_duration_seconds', 'catalog_refresh_failures_total', 'catalog_webhook_deliveries_total', 'catalog_seconds_since_last_refresh', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
    assert.match(response.body, new RegExp(`^# TYPE ${name} `, 'm'), name);
  }
  assert.match(response.body, new RegExp(`^catalog_workers_served ${catalogWorkerIds().length}$`, 'm'));
});

test('requests are counted by route pattern and status, and timed; the numbers move', async (t) => {
  const { store } = await catalogApp(t, { broken: ['broken-bad-metadata'] });
  const metrics = new CatalogMetrics({ current: () => store.current, lastSuccess: () => undefined, processMetrics: false });
  const app = await emptyApp(t, store, { metrics });
  for (const url of ['/workers/llm-worker-rbee-cpu', '/workers/sd-worker-rbee-cpu', '/workers/nope', '/workers/Bad..Id']) await app.inject(url);
  assert.equal(await value(metrics, 'catalog_http_requests_total', { route: '/workers/:id', status: '200' }), 2, 'one series per pattern, not per id');
  assert.equal(await value(metrics, 'catalog_http_requests_total', { route: '/workers/:id', status: '404' }), 1);
  assert.equal(await value(metrics, 'catalog_http_requests_total', { route: '/workers/:id', status: '400' }), 1);
  await app.inject('/no/such/path');
  assert.equal(await value(metrics, 'catalog_http_requests_total', { route: 'unmatched', status: '404' }), 1);
  const timed = (await series(metrics, 'catalog_http_request_duration_seconds'))
    .find((entry) => entry.metricName === 'catalog_http_request_duration_seconds_count' && entry.labels.route === '/workers/:id');
  assert.equal(timed?.value, 4);
  assert.equal(await value(metrics, 'catalog_branches_rejected'), 1, 'the broken branch');
  assert.equal(await value(metrics, 'catalog_seconds_since_last_refresh'), -1, 'before the first success');
  metrics.observeIndex('start', 1.5);
  metrics.refreshed({ kind: 'branches', fetchSeconds: 0.04, indexSeconds: 0.01 });
  metrics.failed({ stage: 'fetch' });
  assert.equal(await value(metrics, 'catalog_refresh_failures_total', { stage: 'fetch' }), 1);
  const fetches = (await series(metrics, 'catalog_git_fetch_duration_seconds')).find((entry) => entry.metricName?.endsWith('_sum'));
  assert.equal(fetches?.value, 0.04);
});

test('webhook deliveries are counted by event and outcome', async (t) => {
  const store = { current: undefined as undefined };
  const metrics = new CatalogMetrics({ current: () => store.current, lastSuccess: () => undefined, processMetrics: false });
  const { url } = await webhookApp(t, { secrets: [SECRET], metrics });
  await postDelivery(url, { event: 'ping', payload: { zen: 'Keep it logically awesome.', hook_id: 1 } });
  await postDelivery(url, { event: 'push', payload: pushPayload() });
  await postDelivery(url, { event: 'push', payload: pushPayload(), delivery: 'same-id' });
  await postDelivery(url, { event: 'push', payload: pushPayload(), delivery: 'same-id' });
  await postDelivery(url, { event: 'push', payload: pushPayload(), secret: 'not-the-secret-at-all-0123' });
  await postDelivery(url, { event: 'issues', payload: { action: 'opened' } });
  const expected: Array<[Record<string, string>, number]> = [
    [{ event: 'ping', outcome: 'ping' }, 1],
    [{ event: 'push', outcome: 'accepted' }, 2],
    [{ event: 'push', outcome: 'duplicate' }, 1],
    [{ event: 'push', outcome: 'signature_invalid' }, 1],
    [{ event: 'other', outcome: 'ignored' }, 1],
  ];
  for (const [labels, count] of expected) assert.equal(await value(metrics, 'catalog_webhook_deliveries_total', labels), count, JSON.stringify(labels));
});

test('the service serves /metrics: its first index is timed and every request is counted', async (t) => {
  const cacheDir = await makeTempDir(t, 'rbee-metrics');
  const server = await startServer(t, { CATALOG_CACHE_DIR: cacheDir });
  const scrape = async (): Promise<string> => (await fetch(`${server.baseUrl}/metrics`)).text();
  await fetch(`${server.baseUrl}/workers`);
  const first = await scrape();
  assert.match(first, new RegExp(`^catalog_workers_served ${catalogWorkerIds().length}$`, 'm'));
  assert.match(first, /^catalog_index_duration_seconds_count\{kind="start"\} 1$/m);
  assert.match(first, /^catalog_http_requests_total\{route="\/workers",method="GET",status="200"\} 1$/m);
  assert.match(first, /^catalog_seconds_since_last_refresh \d/m, 'the first index counts as a success');
  await fetch(`${server.baseUrl}/workers`);
  assert.match(await scrape(), /^catalog_http_requests_total\{route="\/workers",method="GET",status="200"\} 2$/m);
});
