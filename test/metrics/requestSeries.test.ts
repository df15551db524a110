import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { RequestSeries } from '../../src/metrics/requestSeries.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVATIONS: [string, string, number, number][] = [
  ['/workers', 'GET', 200, 0.0004],
  ['/workers', 'GET', 200, 0.001],
  ['/workers', 'GET', 304, 0.02],
  ['/workers/:id', 'GET', 404, 3],
  ['/workers', 'HEAD', 200, 0.5],
  ['unmatched', 'GET', 404, 0.0009],
];

// prom-client's own Counter and Histogram, fed the same requests, are the reference.
function reference(): Registry {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({ name: 'catalog_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status', labelNames: ['route', 'method', 'status'], registers });
  const seconds = new Histogram({ name: 'catalog_http_request_duration_seconds', help: 'Time from request start to the last byte written', labelNames: ['route', 'method'], buckets: BUCKETS, registers });
  for (const [route, method, status, value] of OBSERVATIONS) {
    requests.inc({ route, method, status: String(status) });
    seconds.observe({ route, method }, value);
  }
  return registry;
}

test('the scrape text is what prom-client\'s Counter and Histogram write for the same requests', async () => {
  const registry = new Registry();
  const series = new RequestSeries({ registry, buckets: BUCKETS });
  for (const observation of OBSERVATIONS) series.observe(...observation);
  assert.equal(await registry.metrics(), await reference().metrics());
  // As JSON: prom-client leaves some fields undefined, which no reader of the JSON can see.
  const asJson = async (from: Registry): Promise<unknown> => JSON.parse(JSON.stringify(await from.getMetricsAsJSON()));
  assert.deepEqual(await asJson(registry), await asJson(reference()));
});

test('before any request both metrics are there with no series; a reset empties them', async () => {
  const registry = new Registry();
  const series = new RequestSeries({ registry, buckets: BUCKETS });
  const empty = await registry.metrics();
  assert.match(empty, /^# TYPE catalog_http_requests_total counter$/m);
  assert.match(empty, /^# TYPE catalog_http_request_duration_seconds histogram$/m);
  assert.doesNotMatch(empty, /^catalog_http/m);
  series.observe('/workers', 'GET', 200, 0.002);
  assert.match(await registry.metrics(), /^catalog_http_requests_total\{route="\/workers",method="GET",status="200"\} 1$/m);
  registry.resetMetrics();
  assert.equal(await registry.metrics(), empty);
  series.observe('/workers', 'GET', 200, 0.002);
  assert.match(await registry.metrics(), /^catalog_http_request_duration_seconds_count\{route="\/workers",method="GET"\} 1$/m, 'counting goes on after a reset');
});
