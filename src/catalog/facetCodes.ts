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

export function facetCodes(documents: readonly SearchDocument[]): FacetCodes {
  const numbers = new Map<string, number>();
  const byLowerCase = new Map<string, number[]>();
  const values: Array<{ facet: FacetName; value: string }> = [];
  const members: number[][] = [];
  const code = (facet: FacetName, value: string): number => {
    const key = `${facet}\0${value}`;
    let number = numbers.get(key);
    if (number === undefined) {
      number = values.length;
      numbers.set(key, number);
      values.push({ facet, value });
      members.push([]);
      const lower = `${facet}\0${value.toLowerCase()}`;
      byLowerCase.set(lower, [...(byLowerCase.get(lower) ?? []), number]);
    }
    return number;
  };
  const codes = documents.map((document, ordinal) => {
    const own = [...new Set([
      ...document.platforms.map((platform) => code('platform', platform)),
      ...document.architectures.map((arch) => code('arch', arch)),
      code('backend', document.backend),
      code('license', document.license),
      ...document.tags.map((tag) => code('tag', tag)),
    ])];
    for (const number of own) members[number]!.push(ordinal);
    return Uint32Array.from(own);
  });
  return {
    values,
    codes,
    postings: members.map((list) => Uint32Array.from(list)),
    codesOf: (facet, value) => byLowerCase.get(`${facet}\0${value.toLowerCase()}`) ?? [],
  };
}
