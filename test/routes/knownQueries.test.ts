import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KnownQueries } from '../../src/routes/knownQueries.js';

test('known queries are found by their raw string, and the first value kept is the one served', () => {
  const known = new KnownQueries<string>({ maxEntries: 4, maxCharacters: 1000 });
  assert.equal(known.get('limit=50'), undefined);
  known.set('limit=50', 'a');
  known.set('limit=50', 'b');
  assert.equal(known.get('limit=50'), 'a');
  assert.equal(known.get('limit=50&'), undefined, 'another raw string is another entry');
});

test('past its bound in entries or characters the memo starts over, and a key longer than the bound is never kept', () => {
  const known = new KnownQueries<number>({ maxEntries: 3, maxCharacters: 10 });
  for (const [index, key] of ['a', 'b', 'c'].entries()) known.set(key, index);
  assert.equal(known.size, 3);
  known.set('d', 3);
  assert.deepEqual([known.get('a'), known.get('d'), known.size], [undefined, 3, 1]);
  known.set('1234567890', 4);
  assert.deepEqual([known.get('d'), known.get('1234567890'), known.size], [undefined, 4, 1], '1 + 10 characters would pass 10');
  known.set('x'.repeat(11), 5);
  assert.equal(known.get('x'.repeat(11)), undefined);
  assert.equal(known.size, 0);
});
