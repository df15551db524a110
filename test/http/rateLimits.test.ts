import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { AppOptions } from '../../src/app.js';
import { catalogApp, emptyApp } from '../helpers/catalogApp.js';
import { errorAnswer } from '../helpers/errorAnswer.js';

const LIMITS = { workers: 3, worker: 5, pkgbuild: 2, api: 4 };

async function limitedApp(t: TestContext, extra: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const { store } = await catalogApp(t);
  return emptyApp(t, store, { rateLimits: LIMITS, ...extra });
}

const statuses = async (app: FastifyInstance, count: number, request: InjectOptions): Promise<number[]> => {
  const seen: number[] = [];
  for (let i = 0; i < count; i += 1) seen.push((await app.inject(request)).statusCode);
  return seen;
};

test('each rbee-hive route has its own per-address limit, answered with 429 RATE_LIMITED and Retry-After', async (t) => {
  const app = await limitedApp(t);
  assert.deepEqual(await statuses(app, 4, { url: '/workers' }), [200, 200, 200, 429]);
  assert.deepEqual(await statuses(app, 6, { url: '/workers/llm-worker-rbee-cpu' }), [200, 200, 200, 200, 200, 429]);
  assert.deepEqual(await statuses(app, 3, { url: '/workers/llm-worker-rbee-cpu/PKGBUILD' }), [200, 200, 429]);
  const limited = await app.inject('/workers');
  assert.equal(limited.statusCode, 429);
  assert.equal(errorAnswer('/workers', limited).code, 'RATE_LIMITED');
  assert.ok(Number(limited.headers['retry-after']) > 0);
  assert.equal(limited.headers['x-ratelimit-limit'], '3');
  assert.equal(limited.headers['x-content-type-options'], 'nosniff', 'security headers on a 429 too');
  assert.deepEqual(await statuses(app, 1, { url: '/workers', remoteAddress: '127.0.0.2' }), [200], 'another address has its own count');
});

test('the v1 API shares one limit per route; a 429 there uses the v1 envelope', async (t) => {
  const app = await limitedApp(t);
  assert.deepEqual(await statuses(app, 5, { url: '/v1/workers?q=gpu' }), [200, 200, 200, 200, 429]);
  const limited = await app.inject('/v1/workers?q=gpu');
  assert.equal(errorAnswer('/v1/workers', limited).code, 'RATE_LIMITED');
  assert.equal((await app.inject('/v1/tags')).statusCode, 200, 'another route counts apart');
});

test('a current revalidation is never counted; a made-up If-None-Match is', async (t) => {
  const app = await limitedApp(t);
  const first = await app.inject('/workers/llm-worker-rbee-cpu/PKGBUILD');
  const etag = String(first.headers.etag);
  assert.deepEqual(new Set(await statuses(app, 10, { url: '/workers/llm-worker-rbee-cpu/PKGBUILD', headers: { 'if-none-match': etag } })), new Set([304]));
  assert.equal((await app.inject('/workers/llm-worker-rbee-cpu/PKGBUILD')).statusCode, 200, 'the 304s left the second request of two');
  assert.equal((await app.inject({ url: '/workers/llm-worker-rbee-cpu/PKGBUILD', headers: { 'if-none-match': '"made-up"' } })).statusCode, 429);
  const list = await app.inject('/workers');
  assert.deepEqual(new Set(await statuses(app, 5, { url: '/workers', headers: { 'if-none-match': String(list.headers.etag) } })), new Set([304]));
});

test('webhooks, /health and /ready are never limited, and 0 turns a limit off', async (t) => {
  const { store } = await catalogApp(t);
  const app = await emptyApp(t, store, { rateLimits: { ...LIMITS, api: 1, worker: 0 } });
  assert.deepEqual(new Set(await statuses(app, 5, { url: '/health' })), new Set([200]));
  assert.deepEqual(new Set(await statuses(app, 5, { url: '/ready' })), new Set([200]));
  assert.deepEqual(new Set(await statuses(app, 5, { method: 'POST', url: '/webhooks/github', payload: {} })), new Set([503]), 'not configured, but never 429');
  assert.deepEqual(new Set(await statuses(app, 8, { url: '/workers/sd-worker-rbee-cpu' })), new Set([200]));
  // A route whose limit is off gets no limiter at all; its neighbours keep theirs.
  assert.equal((await app.inject('/workers/sd-worker-rbee-cpu')).headers['x-ratelimit-limit'], undefined);
  assert.equal((await app.inject('/workers')).headers['x-ratelimit-limit'], String(LIMITS.workers));
});

test('behind a trusted proxy the client address comes from X-Forwarded-For; untrusted, the header is ignored', async (t) => {
  const trusted = await limitedApp(t, { trustProxy: true });
  for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4']) {
    assert.deepEqual(await statuses(trusted, 3, { url: '/workers', headers: { 'x-forwarded-for': client } }), [200, 200, 200], client);
  }
  const untrusted = await limitedApp(t);
  const spread = [];
  for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4']) spread.push((await untrusted.inject({ url: '/workers', headers: { 'x-forwarded-for': client } })).statusCode);
  assert.deepEqual(spread, [200, 200, 200, 429], 'a forged X-Forwarded-For does not reset the count');
  const hops = await limitedApp(t, { trustProxy: 1 });
  assert.deepEqual(await statuses(hops, 4, { url: '/workers', headers: { 'x-forwarded-for': '198.51.100.7, 203.0.113.9' } }), [200, 200, 200, 429]);
  assert.deepEqual(await statuses(hops, 1, { url: '/workers', headers: { 'x-forwarded-for': '198.51.100.7, 203.0.113.10' } }), [200], 'the nearest hop is the client');
});
