// httpWithTimeout against a real loopback HTTP server that stalls on purpose.

import assert from 'node:assert/strict';
import { getEventListeners, once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { test, type TestContext } from 'node:test';
import type { HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { httpWithTimeout } from '../../src/git/httpWithTimeout.js';

type Behaviour = (res: ServerResponse) => void;

async function startServer(t: TestContext, behaviour: Behaviour): Promise<string> {
  const server = createServer((_req, res) => behaviour(res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}/repo.git/info/refs?service=git-upload-pack`;
}

async function readAll(body: AsyncIterableIterator<Uint8Array> | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body ?? []) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

test('a response that arrives in time is passed through whole', { timeout: 10_000 }, async (t) => {
  const url = await startServer(t, (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('hello ');
    setTimeout(() => res.end('world'), 50);
  });
  const http = httpWithTimeout({ timeoutMs: 2000 });

  const response = await http.request({ url });

  assert.equal(response.statusCode, 200);
  assert.equal(await readAll(response.body), 'hello world');
});

test('no answer at all: GIT_HTTP_TIMEOUT after the deadline', { timeout: 10_000 }, async (t) => {
  const url = await startServer(t, () => undefined);
  const http = httpWithTimeout({ timeoutMs: 300 });
  const started = Date.now();

  await assert.rejects(http.request({ url }), { code: 'GIT_HTTP_TIMEOUT', data: { url, timeoutMs: 300 } });
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 280 && elapsed < 2000, `took ${elapsed} ms`);
});

test('headers then a stalled body: reading the body fails at the deadline', { timeout: 10_000 }, async (t) => {
  const url = await startServer(t, (res) => {
    res.writeHead(200, { 'content-type': 'application/x-git-upload-pack-advertisement' });
    res.write('001e# service=git-upload-pack\n');
  });
  const http = httpWithTimeout({ timeoutMs: 300 });
  const started = Date.now();

  const response = await http.request({ url });
  await assert.rejects(readAll(response.body), { code: 'GIT_HTTP_TIMEOUT' });
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 280 && elapsed < 2000, `took ${elapsed} ms`);
});

test('the error names the URL without its credentials', { timeout: 10_000 }, async (t) => {
  const url = await startServer(t, () => undefined);
  const http = httpWithTimeout({ timeoutMs: 100 });

  await assert.rejects(http.request({ url: url.replace('http://', 'http://user:hunter2@') }), (error: Error & { data: { url: string } }) =>
    error.data.url === url && !error.message.includes('hunter2'));
});

test('a finished request leaves no abort listener behind, nested in another httpWithTimeout too', { timeout: 10_000 }, async (t) => {
  // A listener left on a composite signal (AbortSignal.any) keeps the signal,
  // the request and every chunk of its body alive for the life of the process.
  const url = await startServer(t, (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('x'.repeat(100_000));
  });
  const seen: AbortSignal[] = [];
  const recording: HttpClient = {
    request: (request) => {
      if (request.signal !== undefined) seen.push(request.signal);
      return nodeHttp.request(request);
    },
  };
  const http = httpWithTimeout({ http: httpWithTimeout({ http: recording, timeoutMs: 2000 }), timeoutMs: 2000 });

  const response = await http.request({ url });
  assert.equal((await readAll(response.body)).length, 100_000);
  await assert.rejects(http.request({ url: 'http://127.0.0.1:1/refused' }));

  assert.equal(seen.length, 2);
  for (const signal of seen) assert.deepEqual(getEventListeners(signal, 'abort'), []);
});

test('a client already bounded as tightly is not wrapped again; a looser one is, and the tighter deadline holds', { timeout: 10_000 }, async (t) => {
  const url = await startServer(t, () => undefined);
  const tight = httpWithTimeout({ timeoutMs: 300 });
  assert.equal(httpWithTimeout({ http: tight, timeoutMs: 300 }), tight);
  assert.equal(httpWithTimeout({ http: tight, timeoutMs: 5000 }), tight);

  const loose = httpWithTimeout({ timeoutMs: 5000 });
  const tightened = httpWithTimeout({ http: loose, timeoutMs: 300 });
  assert.notEqual(tightened, loose);
  const started = Date.now();
  await assert.rejects(tightened.request({ url }), { code: 'GIT_HTTP_TIMEOUT', data: { url, timeoutMs: 300 } });
  assert.ok(Date.now() - started < 2000);
});
