import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fullCollection } from '../../src/memory/fullCollection.js';
import { QuietCollector } from '../../src/memory/quietCollector.js';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

test('collects once, after changes have stopped for quietMs, however many came before', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let collections = 0;
  const collector = new QuietCollector({ collect: () => { collections += 1; }, logger: silent, quietMs: 10_000 });
  t.after(() => collector.close());
  collector.changed();
  t.mock.timers.tick(9000);
  collector.changed();
  t.mock.timers.tick(9000);
  assert.equal(collections, 0, 'a change restarts the quiet time');
  t.mock.timers.tick(1000);
  assert.equal(collections, 1);
  t.mock.timers.tick(60_000);
  assert.equal(collections, 1, 'no change, no further collection');
  collector.changed();
  t.mock.timers.tick(10_000);
  assert.equal(collections, 2);
});

test('a closed collector does not collect what was scheduled', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let collections = 0;
  const collector = new QuietCollector({ collect: () => { collections += 1; }, logger: silent, quietMs: 100 });
  collector.changed();
  collector.close();
  t.mock.timers.tick(1000);
  assert.equal(collections, 0);
});

test('logs how long the collection took and what it freed', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const lines: Array<{ details: Record<string, unknown>; message: string }> = [];
  const logger = { ...silent, info: (details: Record<string, unknown>, message: string) => { lines.push({ details, message }); } };
  const collector = new QuietCollector({ collect: () => undefined, logger, quietMs: 5 });
  collector.changed();
  t.mock.timers.tick(5);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!.message, /collected garbage/);
  for (const key of ['durationMs', 'heapUsedMb', 'freedHeapMb', 'freedExternalMb', 'externalMb', 'rssMb']) assert.equal(typeof lines[0]!.details[key], 'number', key);
});

test('fullCollection collects an unreachable buffer at once, without --expose-gc', async () => {
  assert.equal(process.execArgv.includes('--expose-gc'), false, 'this test must run without the flag');
  let buffer: ArrayBuffer | undefined = new ArrayBuffer(64 * 1024 * 1024);
  const ref = new WeakRef(buffer);
  buffer = undefined;
  // A WeakRef keeps its target alive until the job that made (or read) it ends.
  await new Promise((resolve) => setImmediate(resolve));
  fullCollection()();
  // (Not process.memoryUsage(): V8 frees a collected buffer's memory on a background thread, a moment later.)
  assert.equal(ref.deref(), undefined);
});
