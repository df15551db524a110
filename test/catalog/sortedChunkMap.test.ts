// SortedChunkMap against a plain Map kept in key order: the same entries, the
// same order and the same lookups after every round of random changes (adds,
// replacements, removals, keys before and after every chunk, chunks split
// and emptied), and every earlier map left as it was.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../scripts/lib/seededRandom.js';
import { SortedChunkMap } from '../../src/catalog/sortedChunkMap.js';

function sortedEntries(map: ReadonlyMap<string, number>): Array<[string, number]> {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function assertSame(actual: SortedChunkMap<number>, expected: ReadonlyMap<string, number>, probes: readonly string[], label: string): void {
  assert.equal(actual.size, expected.size, `${label}: size`);
  assert.deepEqual([...actual], sortedEntries(expected), `${label}: entries in key order`);
  assert.deepEqual([...actual.keys()], sortedEntries(expected).map(([key]) => key), `${label}: keys`);
  assert.deepEqual([...actual.values()], sortedEntries(expected).map(([, value]) => value), `${label}: values`);
  for (const key of probes) {
    assert.equal(actual.get(key), expected.get(key), `${label}: get ${key}`);
    assert.equal(actual.has(key), expected.has(key), `${label}: has ${key}`);
  }
}

test('from() sorts by key, keeps the last of duplicate keys, and gives a SortedChunkMap back as it is', () => {
  const map = SortedChunkMap.from<number>([['b', 1], ['a', 2], ['c', 3], ['a', 4]]);
  assert.deepEqual([...map], [['a', 4], ['b', 1], ['c', 3]]);
  assert.equal(SortedChunkMap.from(map), map);
  const seen: string[] = [];
  map.forEach((value, key, self) => seen.push(`${key}=${value}:${self === map}`));
  assert.deepEqual(seen, ['a=4:true', 'b=1:true', 'c=3:true']);
  assert.equal(Object.prototype.toString.call(map), '[object SortedChunkMap]');
  assert.equal(SortedChunkMap.from(new Map()).size, 0);
  assert.equal(SortedChunkMap.from(new Map()).get('a'), undefined);
});

test('with() matches a Map after every round of random changes, and leaves the map it was called on unchanged', () => {
  const random = seededRandom(20261202);
  const keyOf = (n: number): string => `w-${String(n).padStart(5, '0')}`;
  // Keys sort between, before and after the ones present: 0..2999, of which a third start present.
  let expected = new Map<string, number>();
  for (let n = 0; n < 3000; n += 3) expected.set(keyOf(n), n);
  let actual = SortedChunkMap.from(new Map([...expected].reverse()));
  const probes = Array.from({ length: 200 }, () => keyOf(Math.floor(random() * 3100)));
  assertSame(actual, expected, probes, 'from');

  const history: Array<{ map: SortedChunkMap<number>; entries: Array<[string, number]> }> = [];
  for (let round = 0; round < 300; round += 1) {
    const changes = new Map<string, number | undefined>();
    // Mostly one change (a push), sometimes a run of neighbours (a chunk splitting) or many removals (chunks emptied).
    const kind = random();
    const count = kind < 0.7 ? 1 : kind < 0.85 ? 1 + Math.floor(random() * 200) : 1 + Math.floor(random() * 40);
    const start = Math.floor(random() * 3100);
    for (let step = 0; step < count; step += 1) {
      const n = kind < 0.85 && kind >= 0.7 ? start + step : Math.floor(random() * 3100);
      changes.set(keyOf(n), kind >= 0.85 || random() < 0.3 ? undefined : round * 10_000 + n);
    }
    history.push({ map: actual, entries: [...actual] });
    const next = new Map(expected);
    for (const [key, value] of changes) {
      if (value === undefined) next.delete(key);
      else next.set(key, value);
    }
    expected = next;
    actual = actual.with(changes);
    assertSame(actual, expected, [...probes, ...changes.keys()], `round ${round}`);
  }
  for (const [round, { map, entries }] of history.entries()) assert.deepEqual([...map], entries, `the map before round ${round} is unchanged`);

  // Emptied whole, then filled again from nothing.
  const empty = actual.with(new Map([...actual.keys()].map((key) => [key, undefined])));
  assertSame(empty, new Map(), probes, 'emptied');
  assertSame(empty.with(new Map([['z', 1], ['a', 2]])), new Map([['a', 2], ['z', 1]]), ['a', 'z', 'm'], 'refilled');
  assert.equal(actual.with(new Map()), actual, 'no changes: the same map');
});
