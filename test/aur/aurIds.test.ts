import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idDraw, stableIds } from '../../src/aur/aurIds.js';

test('an id is a pure function of namespace and name, within 1 … 2^31-1', () => {
  assert.equal(idDraw('pkgname', 'llm-worker-rbee-cpu'), idDraw('pkgname', 'llm-worker-rbee-cpu'));
  assert.notEqual(idDraw('pkgname', 'llm-worker-rbee-cpu'), idDraw('pkgbase', 'llm-worker-rbee-cpu'));
  for (let index = 0; index < 2000; index += 1) {
    const id = idDraw('pkgname', `worker-${index}`);
    assert.ok(Number.isInteger(id) && id >= 1 && id <= 0x7fffffff, String(id));
  }
});

test('stableIds does not depend on the order names arrive in', () => {
  const names = ['c', 'a', 'b', 'sd-worker-rbee-cpu'];
  assert.deepEqual([...stableIds('pkgname', names)].sort(), [...stableIds('pkgname', [...names].reverse())].sort());
});

test('a collision is resolved: the name that sorts first keeps its draw, the other draws again', () => {
  // Find two names with the same first draw (a birthday search over 31 bits, bounded).
  const seen = new Map<number, string>();
  let pair: [string, string] | undefined;
  for (let index = 0; index < 400_000 && pair === undefined; index += 1) {
    const name = `n${index}`;
    const id = idDraw('pkgname', name);
    const other = seen.get(id);
    if (other !== undefined) pair = [other, name];
    seen.set(id, name);
  }
  assert.ok(pair !== undefined, 'no collision found within the bound');
  const [first, second] = [...pair].sort();
  const ids = stableIds('pkgname', [second!, first!]);
  assert.equal(ids.get(first!), idDraw('pkgname', first!));
  assert.equal(ids.get(second!), idDraw('pkgname', second!, 1));
  assert.notEqual(ids.get(first!), ids.get(second!));
});
