import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogApp, emptyApp } from '../helpers/catalogApp.js';

const ORIGIN = 'https://rbee.dev';

test('with CORS for any origin, reads carry Access-Control-Allow-Origin and expose the validators', async (t) => {
  const { store } = await catalogApp(t);
  const app = await emptyApp(t, store, { corsOrigins: '*' });
  const response = await app.inject({ url: '/v1/workers/llm-worker-rbee-cpu', headers: { origin: ORIGIN } });
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['access-control-allow-origin'], '*');
  const exposed = String(response.headers['access-control-expose-headers']).split(',').map((name) => name.trim().toLowerCase());
  for (const name of ['etag', 'last-modified', 'x-checksum-sha256', 'retry-after']) assert.ok(exposed.includes(name), name);
});

test('a preflight is answered for read methods only, and cached for a day', async (t) => {
  const { store } = await catalogApp(t);
  const app = await emptyApp(t, store, { corsOrigins: '*' });
  const preflight = await app.inject({ method: 'OPTIONS', url: '/v1/workers', headers: { origin: ORIGIN, 'access-control-request-method': 'GET' } });
  assert.equal(preflight.statusCode, 204);
  assert.deepEqual(String(preflight.headers['access-control-allow-methods']).split(',').map((m) => m.trim()), ['GET', 'HEAD', 'OPTIONS']);
  assert.equal(preflight.headers['access-control-max-age'], '86400');
  const write = await app.inject({ method: 'OPTIONS', url: '/v1/workers/info', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
  assert.ok(!String(write.headers['access-control-allow-methods']).includes('POST'), 'browsers are not invited to POST');
  const plain = await app.inject({ method: 'OPTIONS', url: '/workers/llm-worker-rbee-cpu' });
  assert.equal(plain.statusCode, 204, 'an OPTIONS without Origin is not a preflight: it still answers with Allow');
  assert.equal(plain.headers.allow, 'GET, HEAD, OPTIONS');
});

test('with a list of origins, only those are allowed, and answers vary by Origin', async (t) => {
  const { store } = await catalogApp(t);
  const app = await emptyApp(t, store, { corsOrigins: [ORIGIN, 'http://localhost:5173'] });
  const allowed = await app.inject({ url: '/workers', headers: { origin: 'http://localhost:5173' } });
  assert.equal(allowed.headers['access-control-allow-origin'], 'http://localhost:5173');
  assert.match(String(allowed.headers.vary), /Origin/);
  const other = await app.inject({ url: '/workers', headers: { origin: 'https://evil.example' } });
  assert.equal(other.statusCode, 200, 'the answer itself is public; only the browser is told not to share it');
  assert.equal(other.headers['access-control-allow-origin'], undefined);
});

test('without CORS configured no CORS header is sent', async (t) => {
  const { app } = await catalogApp(t);
  const response = await app.inject({ url: '/workers', headers: { origin: ORIGIN } });
  assert.equal(response.headers['access-control-allow-origin'], undefined);
});
