import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedCache } from '../../src/catalog/boundedCache.js';

test('BoundedCache forgets the least recently used entry past maxEntries', () => {
  const cache = new BoundedCache<string, number>({ maxEntries: 2 });
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1); // a is now the most recently used
  cache.set('c', 3);
  assert.deepEqual([cache.get('a'), cache.get('b'), cache.get('c')], [1, undefined, 3]);
  assert.equal(cache.size, 2);
});

test('BoundedCache keeps total weight under maxWeight and refuses a value heavier than the whole cache', () => {
  const cache = new BoundedCache<string, Buffer>({ maxEntries: 100, maxWeight: 10, weigh: (value) => value.byteLength });
  cache.set('a', Buffer.alloc(4));
  cache.set('b', Buffer.alloc(4));
  cache.set('c', Buffer.alloc(4));
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.weight, 8);
  cache.set('huge', Buffer.alloc(11));
  assert.equal(cache.get('huge'), undefined);
  assert.equal(cache.weight, 8);
  cache.set('b', Buffer.alloc(1));
  assert.equal(cache.weight, 5);
  assert.throws(() => new BoundedCache({ maxEntries: 0 }), RangeError);
});

test('BoundedCache: repeated reads of the newest entry, then of others, keep least-recently-used order', () => {
  const cache = new BoundedCache<string, number>({ maxEntries: 2 });
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('b'), 2);
  assert.equal(cache.get('b'), 2);
  assert.equal(cache.get('a'), 1); // a is the newest now, b the oldest
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.deepEqual([cache.get('b'), cache.get('a'), cache.get('c')], [undefined, 1, 3]);
  cache.delete('c'); // the newest goes: reading a afterwards must still make it the newest
  cache.set('d', 4);
  assert.equal(cache.get('a'), 1);
  cache.set('e', 5);
  assert.deepEqual([cache.get('d'), cache.get('a'), cache.get('e')], [undefined, 1, 5]);
});
