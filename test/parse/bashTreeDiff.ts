// bashTreeDiff: the first difference between two bash syntax trees — type,
// named-ness, text, extent, start position, field names and children, all
// the way down — or undefined when they are the same tree.

import type { BashNode } from '../../src/parse/bashSyntax.js';

interface FieldNamed {
  fieldNameForChild(index: number): string | null;
}

export function bashTreeDiff(expected: BashNode & FieldNamed, actual: BashNode & FieldNamed, path = 'program'): string | undefined {
  const facts = (node: BashNode): string =>
    JSON.stringify([node.type, node.isNamed, node.startIndex, node.endIndex, node.startPosition.row, node.startPosition.column, node.childCount, node.text.slice(0, 40)]);
  if (facts(expected) !== facts(actual)) return `${path}: expected ${facts(expected)}, got ${facts(actual)}`;
  for (let index = 0; index < expected.childCount; index += 1) {
    const [want, got] = [expected.child(index)!, actual.child(index)!] as (BashNode & FieldNamed)[];
    const [wantField, gotField] = [expected.fieldNameForChild(index), actual.fieldNameForChild(index)];
    if (wantField !== gotField) return `${path}/${index}: field ${String(wantField)} expected, got ${String(gotField)}`;
    const difference = bashTreeDiff(want!, got!, `${path}/${index}:${want!.type}`);
    if (difference !== undefined) return difference;
  }
  return undefined;
}
