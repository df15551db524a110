import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { CatalogStore } from '../../src/catalog/catalogStore.js';

test('each request is logged once, when answered, with its route pattern and status', async (t) => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const app = await buildApp({ store: new CatalogStore(), logger: pino(sink), serviceVersion: '1.0.0', cacheMaxAgeSeconds: 60 });
  t.after(() => app.close());

  await app.inject('/health');
  await app.inject('/workers/some-worker');
  const requests = lines.filter((line) => line.msg === 'request');
  assert.equal(requests.length, 2, 'one line per request, no separate "incoming request" line');
  assert.deepEqual(requests.map(({ route, url, status, method }) => ({ route, url, status, method })), [
    { route: '/health', url: '/health', status: 200, method: 'GET' },
    { route: '/workers/:id', url: '/workers/some-worker', status: 503, method: 'GET' },
  ]);
  assert.equal(typeof requests[0]?.durationMs, 'number');
});
