// The memory measurement's pieces: the least-squares slope and reading a
// real process's resident set from /proc, and its parts from /proc and /metrics.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { formatMemoryParts, leastSquaresSlope, readMemoryParts, readProcessMemory } from '../../../scripts/bench/memory.js';

test('leastSquaresSlope: an exact line, a noisy flat series, too few points', () => {
  assert.equal(leastSquaresSlope([{ x: 0, y: 100 }, { x: 1, y: 102 }, { x: 2, y: 104 }, { x: 3, y: 106 }]), 2);
  assert.equal(leastSquaresSlope([{ x: 0, y: 100 }, { x: 1, y: 104 }, { x: 2, y: 100 }, { x: 3, y: 104 }, { x: 4, y: 100 }]), 0);
  assert.ok(Number.isNaN(leastSquaresSlope([{ x: 1, y: 5 }])));
});

test('readProcessMemory: this process, close to what Node itself reports', async () => {
  const { rssBytes, peakBytes } = await readProcessMemory(process.pid);
  const own = process.memoryUsage().rss;
  assert.ok(Math.abs(rssBytes - own) < own * 0.2, `VmRSS ${rssBytes}, process.memoryUsage().rss ${own}`);
  assert.ok(peakBytes >= rssBytes);
});

test('readProcessMemory: a process that does not exist is an error', async () => {
  await assert.rejects(readProcessMemory(2 ** 22 + 1), { code: 'ENOENT' });
});

test('readMemoryParts: this process, with its own prom-client metrics served on loopback', async (t) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const server = createServer((_request, response) => {
    void registry.metrics().then((body) => response.end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;

  const { rssBytes, parts } = await readMemoryParts(process.pid, `http://127.0.0.1:${port}`);
  const own = process.memoryUsage();
  // VmRSS is RssAnon + RssFile + RssShmem; this process maps no shared memory of note.
  assert.ok(Math.abs(parts.anonBytes + parts.fileBytes - rssBytes) < rssBytes * 0.05, `anon ${parts.anonBytes} + file ${parts.fileBytes} against RSS ${rssBytes}`);
  assert.ok(parts.heapUsedBytes > 0 && parts.heapUsedBytes <= parts.heapTotalBytes);
  assert.ok(Math.abs(parts.heapTotalBytes - own.heapTotal) < own.heapTotal * 0.5, `heap total ${parts.heapTotalBytes}, process.memoryUsage() ${own.heapTotal}`);
  assert.ok(parts.threads >= 2, `${parts.threads} threads: Node always runs V8's and libuv's besides the main one`);
  assert.match(formatMemoryParts(parts), /^anon \d+, file \d+, heap used \d+ of \d+, external \d+, \d+ threads$/);
});

test('readMemoryParts: a /metrics without the heap gauges is an error, not a zero', async (t) => {
  const server = createServer((_request, response) => response.end('# nothing here\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  await assert.rejects(readMemoryParts(process.pid, `http://127.0.0.1:${port}`), /has no nodejs_heap_size_used_bytes/);
});
