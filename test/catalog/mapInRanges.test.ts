// mapInRanges: every item once, results in order, each lane working through
// contiguous ranges with at most perLane items in flight, and a lane that
// runs out taking over half of what a slow lane has left.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapInRanges } from '../../src/catalog/mapInRanges.js';

/** How many runs of consecutive indexes `indexes` falls into. */
function runs(indexes: number[]): number {
  const sorted = [...indexes].sort((a, b) => a - b);
  return sorted.filter((value, at) => at === 0 || sorted[at - 1] !== value - 1).length;
}

test('every item is worked on once, and results come back in the items\' order', async () => {
  for (const { count, lanes } of [{ count: 0, lanes: 2 }, { count: 1, lanes: 3 }, { count: 5, lanes: 8 }, { count: 1000, lanes: 2 }, { count: 999, lanes: 3 }]) {
    const items = Array.from({ length: count }, (_, index) => `item ${index}`);
    const seen = new Map<number, number>();
    const results = await mapInRanges(items, { lanes, perLane: 4 }, async (item, index) => {
      seen.set(index, (seen.get(index) ?? 0) + 1);
      await sleep(index % 3);
      return item.toUpperCase();
    });
    assert.deepEqual(results, items.map((item) => item.toUpperCase()));
    assert.equal(seen.size, count);
    assert.ok([...seen.values()].every((times) => times === 1));
  }
});

test('each lane works through few contiguous ranges, never more than perLane at once', async () => {
  const items = Array.from({ length: 2000 }, (_, index) => index);
  const byLane = new Map<number, number[]>();
  const running = new Map<number, number>();
  let most = 0;
  await mapInRanges(items, { lanes: 2, perLane: 8 }, async (item, _index, lane) => {
    running.set(lane, (running.get(lane) ?? 0) + 1);
    most = Math.max(most, running.get(lane)!);
    byLane.set(lane, [...(byLane.get(lane) ?? []), item]);
    await sleep(item % 2);
    running.set(lane, running.get(lane)! - 1);
  });
  assert.equal(most, 8);
  assert.deepEqual([...byLane.keys()].sort(), [0, 1]);
  // One range each, plus a few halves taken at the end; handed out one by one, there would be hundreds.
  for (const [lane, indexes] of byLane) assert.ok(runs(indexes) <= 12, `lane ${lane}: ${runs(indexes)} ranges`);
});

test('a lane that runs out takes over half of what a slow lane has left', async () => {
  const items = Array.from({ length: 400 }, (_, index) => index);
  const counts = [0, 0];
  await mapInRanges(items, { lanes: 2, perLane: 2 }, async (_item, _index, lane) => {
    counts[lane]! += 1;
    // Lane 0 is ten times slower, as a thread on a busy core would be.
    await sleep(lane === 0 ? 10 : 1);
  });
  assert.equal(counts[0]! + counts[1]!, 400);
  assert.ok(counts[1]! > 300, `the fast lane did ${counts[1]} of 400`);
});
