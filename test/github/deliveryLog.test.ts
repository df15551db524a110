// DeliveryLog: duplicate detection with bounded memory.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeliveryLog } from '../../src/github/deliveryLog.js';

test('an id is new once, then a duplicate', () => {
  const log = new DeliveryLog();
  assert.equal(log.record('a'), true);
  assert.equal(log.record('b'), true);
  assert.equal(log.record('a'), false);
  assert.equal(log.size, 2);
});

test('memory is bounded: past the capacity the oldest ids are forgotten', () => {
  const log = new DeliveryLog({ capacity: 3 });
  for (const id of ['1', '2', '3', '4']) assert.equal(log.record(id), true);
  assert.equal(log.size, 3);
  assert.equal(log.record('1'), true, 'the oldest id was forgotten');
  assert.equal(log.record('4'), false, 'a recent id is still remembered');
});

test('the default capacity keeps 10,000 ids', () => {
  const log = new DeliveryLog();
  for (let index = 0; index < 10_001; index += 1) log.record(`id-${index}`);
  assert.equal(log.size, 10_000);
  assert.equal(log.record('id-10000'), false);
  assert.equal(log.record('id-0'), true);
});

test('a capacity below one is refused', () => {
  assert.throws(() => new DeliveryLog({ capacity: 0 }), RangeError);
});
