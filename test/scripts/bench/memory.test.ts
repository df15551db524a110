// The memory measurement's pieces: the least-squares slope and reading a
// real process's resident set from /proc.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leastSquaresSlope, readProcessMemory } from '../../../scripts/bench/memory.js';

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
