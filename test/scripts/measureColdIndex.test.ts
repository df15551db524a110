// measure-cold-index on a small catalog: the native reference and both cold
// indexes (local bare repository, mirror cloned over loopback HTTP) run, and
// the two sources serve byte-identical bodies.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTable, measureColdIndex } from '../../scripts/measure-cold-index.js';

test('measures a local repository and its mirror, which serve the same bodies', { timeout: 300_000 }, async () => {
  const lines: string[] = [];
  const results = await measureColdIndex({ sizes: [20], breakdown: true, log: (line) => lines.push(line) });

  assert.deepEqual(results.map((r) => r.source), ['local', 'mirror']);
  for (const result of results) {
    assert.equal(result.branches, 20);
    assert.equal(result.workers, 20, 'every synthetic branch is served');
    assert.ok(result.nativeMs > 0 && result.indexMs > 0);
    assert.ok(result.breakdown !== undefined && (result.breakdown.readObjects ?? -1) >= 0);
  }
  assert.equal(results[0]!.contentDigest, results[1]!.contentDigest);
  assert.ok(results[1]!.cloneMs !== undefined, 'the mirror was cloned in this run');
  assert.match(formatTable(results), /\| 20 \| mirror \|/);
  assert.ok(lines.some((line) => line.includes('native')));
});
