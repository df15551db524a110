// FacetCodes: every facet value of a snapshot's workers numbered once, and
// each worker's values as those numbers, so counting facets over 10,000
// matches is array increments rather than string-keyed map updates.

import type { SearchDocument } from './searchDocument.js';

export type FacetName = 'platform' | 'arch' | 'backend' | 'license' | 'tag';

export interface FacetCodes {
  /** What each code stands for. */
  readonly values: ReadonlyArray<{ readonly facet: FacetName; readonly value: string }>;
  /** The codes of each document, in the order of the documents given. */
  readonly codes: readonly Uint32Array[];
}

export function facetCodes(documents: readonly SearchDocument[]): FacetCodes {
  const numbers = new Map<string, number>();
  const values: Array<{ facet: FacetName; value: string }> = [];
  const code = (facet: FacetName, value: string): number => {
    const key = `${facet}\0${value}`;
    let number = numbers.get(key);
    if (number === undefined) {
      number = values.length;
      numbers.set(key, number);
      values.push({ facet, value });
    }
    return number;
  };
  const codes = documents.map((document) => Uint32Array.from([
    ...document.platforms.map((platform) => code('platform', platform)),
    ...document.architectures.map((arch) => code('arch', arch)),
    code('backend', document.backend),
    code('license', document.license),
    ...document.tags.map((tag) => code('tag', tag)),
  ]));
  return { values, codes };
}
