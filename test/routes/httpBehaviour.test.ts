import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogApp } from '../helpers/catalogApp.js';
import { errorAnswer } from '../helpers/errorAnswer.js';

const CATALOG_PATHS = [
  '/workers',
  '/workers/llm-worker-rbee-cpu',
  '/workers/llm-worker-rbee-cpu/PKGBUILD',
  '/workers/llm-worker-rbee-cpu/clone-url',
  '/v1/workers',
  '/v1/workers/llm-worker-rbee-cpu',
  '/v1/workers/llm-worker-rbee-cpu/.SRCINFO',
  '/v1/problems',
];

test('every catalog answer has a strong ETag and Cache-Control, and If-None-Match gives 304', async (t) => {
  const { app } = await catalogApp(t);
  for (const path of CATALOG_PATHS) {
    const first = await app.inject(path);
    assert.equal(first.statusCode, 200, path);
    const etag = first.headers.etag as string;
    assert.match(etag, /^"[^"]+"$/, `${path}: a strong, quoted ETag`);
    assert.equal(first.headers['cache-control'], 'public, max-age=3600');

    const again = await app.inject({ url: path, headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304, path);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);

    const stale = await app.inject({ url: path, headers: { 'if-none-match': '"not-the-current-one"' } });
    assert.equal(stale.statusCode, 200, path);
  }
});

test('ETags differ between different bodies and repeat for the same body', async (t) => {
  const { app } = await catalogApp(t);
  const cpu = (await app.inject('/workers/llm-worker-rbee-cpu')).headers.etag;
  const cuda = (await app.inject('/workers/llm-worker-rbee-cuda')).headers.etag;
  assert.notEqual(cpu, cuda);
  assert.equal((await app.inject('/workers/llm-worker-rbee-cpu')).headers.etag, cpu);
});

test('HEAD answers the headers of GET without a body', async (t) => {
  const { app } = await catalogApp(t);
  const get = await app.inject('/workers/llm-worker-rbee-cpu/PKGBUILD');
  const head = await app.inject({ method: 'HEAD', url: '/workers/llm-worker-rbee-cpu/PKGBUILD' });
  assert.equal(head.statusCode, 200);
  assert.equal(head.body, '');
  assert.equal(head.headers.etag, get.headers.etag);
  assert.equal(head.headers['content-type'], get.headers['content-type']);
});

test('methods other than GET, HEAD and OPTIONS answer 405 with Allow', async (t) => {
  const { app } = await catalogApp(t);
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
    for (const path of ['/workers', '/workers/llm-worker-rbee-cpu', '/v1/workers', '/no/such/path']) {
      const response = await app.inject({ method, url: path });
      assert.equal(response.statusCode, 405, `${method} ${path}`);
      assert.equal(response.headers.allow, 'GET, HEAD, OPTIONS');
      assert.equal(errorAnswer(path, response).code, 'METHOD_NOT_ALLOWED');
    }
  }
});

test('OPTIONS on a catalog path answers 204 with Allow; unknown paths answer 404', async (t) => {
  const { app } = await catalogApp(t);
  const options = await app.inject({ method: 'OPTIONS', url: '/workers/llm-worker-rbee-cpu' });
  assert.equal(options.statusCode, 204);
  assert.equal(options.headers.allow, 'GET, HEAD, OPTIONS');
  const missing = await app.inject('/no/such/path');
  assert.equal(missing.statusCode, 404);
  assert.equal(errorAnswer('/no/such/path', missing).code, 'NOT_FOUND');
  assert.equal((await app.inject({ method: 'OPTIONS', url: '/no/such/path' })).statusCode, 404);
});

test('security headers are on every answer, errors included', async (t) => {
  const { app } = await catalogApp(t);
  for (const path of ['/workers', '/workers/llm-worker-rbee-cpu/PKGBUILD', '/workers/BAD', '/workers/unknown', '/nope', '/health']) {
    const response = await app.inject(path);
    assert.equal(response.headers['x-content-type-options'], 'nosniff', path);
    assert.equal(response.headers['x-frame-options'], 'DENY', path);
    assert.match(response.headers['content-security-policy'] as string, /default-src 'none'/, path);
  }
});
