// BenchResources leaves nothing behind: running children are killed,
// temporary folders removed, closers run newest first.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { BenchResources } from '../../../scripts/bench/benchResources.js';

test('close: kills a running child, removes folders, runs closers newest first', async () => {
  const resources = new BenchResources();
  const child = resources.child(spawn('sleep', ['30'], { stdio: 'ignore' }));
  const exited = once(child, 'exit');
  const dir = await resources.tempDir('bench-resources-');
  writeFileSync(path.join(dir, 'file'), 'x');
  const order: string[] = [];
  resources.onClose(async () => { order.push('first'); });
  resources.onClose(async () => { order.push('second'); });
  await resources.close();
  const [, signal] = await exited;
  assert.equal(signal, 'SIGKILL');
  assert.equal(existsSync(dir), false);
  assert.deepEqual(order, ['second', 'first']);
});

test('closeNow runs a closer once: close does not run it again', async () => {
  const resources = new BenchResources();
  let runs = 0;
  const closer = async (): Promise<void> => { runs += 1; };
  resources.onClose(closer);
  await resources.closeNow(closer);
  await resources.close();
  assert.equal(runs, 1);
});

test('closeSync: the exit-time path kills children and removes folders synchronously', async () => {
  const resources = new BenchResources();
  const child = resources.child(spawn('sleep', ['30'], { stdio: 'ignore' }));
  const exited = once(child, 'exit');
  const dir = await resources.tempDir('bench-resources-');
  resources.closeSync();
  assert.equal(existsSync(dir), false);
  const [, signal] = await exited;
  assert.equal(signal, 'SIGKILL');
});
