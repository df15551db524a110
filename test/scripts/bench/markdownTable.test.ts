// The benchmark table is pasted into the README as printed: valid Markdown,
// right-aligned numbers, pipes in cells escaped, rows checked for width.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, formatMegabytes, formatRatio, markdownTable } from '../../../scripts/bench/markdownTable.js';

test('markdownTable: header, alignment rule, escaped cells', () => {
  const table = markdownTable([{ title: 'what', align: 'left' }, { title: 'n', align: 'right' }], [['a | b', '1'], ['c', '22']]);
  assert.equal(table, '| what | n |\n|---|---:|\n| a \\| b | 1 |\n| c | 22 |');
});

test('markdownTable: a row of the wrong width is an error', () => {
  assert.throws(() => markdownTable([{ title: 'a', align: 'left' }], [['1', '2']]), /2 cells/);
});

test('formats: milliseconds below a second, seconds above; MB; ratios; n/a for missing figures', () => {
  assert.equal(formatDuration(850.4), '850 ms');
  assert.equal(formatDuration(2.345), '2.3 ms');
  assert.equal(formatDuration(12_345), '12.35 s');
  assert.equal(formatDuration(130_400), '130.4 s');
  assert.equal(formatDuration(Number.NaN), 'n/a');
  assert.equal(formatMegabytes(183_500_000), '184 MB');
  assert.equal(formatMegabytes(440_000), '0.4 MB');
  assert.equal(formatRatio(0.876), '0.88×');
  assert.equal(formatRatio(Number.POSITIVE_INFINITY), 'n/a');
});
