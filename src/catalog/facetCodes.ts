// FacetCodes: every facet value of a snapshot's workers numbered once, each
// worker's values as those numbers, and for each value the workers that have
// it. Counting facets over 10,000 matches is then array increments, and a
// filter such as platform=linux&tag=gpu reads two posting lists instead of
// testing 10,000 workers.

import type { SearchDocument } from './searchDocument.js';

export type FacetName = 'platform' | 'arch' | 'backend' | 'license' | 'tag';

export interface FacetCodes {
  /** What each code stands for. */
  readonly values: ReadonlyArray<{ readonly facet: FacetName; readonly value: string }>;
  /** The codes of each document, by its place in the documents given. */
  readonly codes: readonly Uint32Array[];
  /** The places of the documents that have each code, ascending. */
  readonly postings: readonly Uint32Array[];
  /** The codes of a facet value, compared case-insensitively (licenses are spelled freely). */
  codesOf(facet: FacetName, value: string): readonly number[];
}

/** How a facet value is named in a document's facetKeys. */
export function facetKey(facet: FacetName, value: string): string {
  return `${facet}\0${value}`;
}

export function facetCodes(documents: readonly SearchDocument[]): FacetCodes {
  const numbers = new Map<string, number>();
  const byLowerCase = new Map<string, number[]>();
  const values: Array<{ facet: FacetName; value: string }> = [];
  const members: number[][] = [];
  const code = (key: string): number => {
    let number = numbers.get(key);
    if (number === undefined) {
      number = values.length;
      numbers.set(key, number);
      const separator = key.indexOf('\0');
      const facet = key.slice(0, separator) as FacetName;
      const value = key.slice(separator + 1);
      values.push({ facet, value });
      members.push([]);
      const lower = facetKey(facet, value.toLowerCase());
      byLowerCase.set(lower, [...(byLowerCase.get(lower) ?? []), number]);
    }
    return number;
  };
  // Keys are built once per document (searchDocument.ts); here they are only looked up.
  const codes = documents.map((document, ordinal) => {
    const { facetKeys } = document;
    const own = new Uint32Array(facetKeys.length);
    for (let i = 0; i < facetKeys.length; i += 1) {
      const number = code(facetKeys[i]!);
      own[i] = number;
      members[number]!.push(ordinal);
    }
    return own;
  });
  return {
    values,
    codes,
    postings: members.map((list) => Uint32Array.from(list)),
    codesOf: (facet, value) => byLowerCase.get(facetKey(facet, value.toLowerCase())) ?? [],
  };
}
