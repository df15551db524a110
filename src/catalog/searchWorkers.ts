// searchWorkers: one page of the workers that match a query, in a total
// order, with the total count and, when asked, facet counts over every match.
// Pure: a search index and a query in, results out.

import { relevance } from './relevance.js';
import type { SearchCursor, SortField, SortOrder } from './searchCursor.js';
import type { SearchDocument } from './searchDocument.js';
import type { FacetName } from './facetCodes.js';
import { compareIds, type SearchIndex } from './searchIndex.js';

export interface WorkerQuery {
  /** Lower-cased terms of `q`; every one must occur in the worker's id, name, description, tags or keywords. */
  readonly terms: readonly string[];
  /** Each list matches when the worker has ANY of its values; an empty list does not filter. */
  readonly platforms: readonly string[];
  readonly architectures: readonly string[];
  readonly backends: readonly string[];
  readonly licenses: readonly string[];
  /** The worker must carry EVERY tag. */
  readonly tags: readonly string[];
  readonly requiresLicense: boolean | undefined;
  /** Lower-cased; matches part of a maintainer entry (`name <email>`). */
  readonly maintainer: string | undefined;
  /** Lower-cased package names. */
  readonly depends: string | undefined;
  readonly provides: string | undefined;
  readonly sort: SortField;
  readonly order: SortOrder;
  readonly limit: number;
  readonly after: SearchCursor | undefined;
  readonly facets: boolean;
}

export type { FacetName };
export type FacetCounts = Readonly<Record<FacetName, ReadonlyArray<{ readonly value: string; readonly count: number }>>>;

export interface SearchResult {
  readonly page: readonly SearchDocument[];
  readonly total: number;
  /** Where the next page starts; undefined on the last page. */
  readonly next: SearchCursor | undefined;
  readonly facets: FacetCounts | undefined;
}

interface Ranked {
  readonly document: SearchDocument;
  /** The document's place in the index's id order: where its facet codes are. */
  readonly ordinal: number;
  readonly key: string | number;
  readonly id: string;
}

/** What the order compares: a result's sort key and id, or a cursor's. */
type Position = Pick<Ranked, 'key' | 'id'>;

export function searchWorkers(index: SearchIndex, query: WorkerQuery): SearchResult {
  const compare = comparator(query);
  const ranked = rank(index, query, compare);
  const start = query.after === undefined ? 0 : firstAfter(ranked, query.after, compare);
  const pageRanks = ranked.slice(start, start + query.limit);
  const last = pageRanks.at(-1);
  const more = start + pageRanks.length < ranked.length;
  return {
    page: pageRanks.map((entry) => entry.document),
    total: ranked.length,
    next: more && last !== undefined ? { sort: query.sort, order: query.order, key: last.key, id: last.id } : undefined,
    facets: query.facets ? facetCounts(index, ranked) : undefined,
  };
}

/** Every match, in the query's order, with its sort key. */
function rank(index: SearchIndex, query: WorkerQuery, compare: (a: Position, b: Position) => number): Ranked[] {
  const ranked: Ranked[] = [];
  if (query.sort === 'relevance') {
    index.byId.forEach((document, ordinal) => {
      if (matchesQuery(document, query)) ranked.push({ document, ordinal, key: relevance(document, query.terms), id: document.id });
    });
    return ranked.sort(compare);
  }
  const byName = query.sort === 'name';
  const ordinals = byName ? undefined : index.byUpdatedOrdinals;
  const count = index.byId.length;
  // The orders are prebuilt ascending; descending walks them backwards.
  const descending = query.order === 'desc';
  for (let i = 0; i < count; i += 1) {
    const at = descending ? count - 1 - i : i;
    const ordinal = ordinals === undefined ? at : ordinals[at]!;
    const document = index.byId[ordinal]!;
    if (matchesQuery(document, query)) ranked.push({ document, ordinal, key: byName ? document.id : document.updated, id: document.id });
  }
  return ranked;
}

/** The total order of a query's results: its sort key, then the id, reversed for `desc`. */
function comparator(query: WorkerQuery): (a: Position, b: Position) => number {
  let ascending: (a: Position, b: Position) => number;
  if (query.sort === 'name') ascending = (a, b) => compareIds(a.id, b.id);
  else if (query.sort === 'updated') ascending = (a, b) => (a.key as number) - (b.key as number) || compareIds(a.id, b.id);
  // Ascending relevance is the worst match first, so that `desc` (the default) is the best first, ids in order.
  else ascending = (a, b) => (a.key as number) - (b.key as number) || compareIds(b.id, a.id);
  return query.order === 'desc' ? (a, b) => ascending(b, a) : ascending;
}

/** The index of the first result ordered after the cursor (binary search: results are sorted). */
function firstAfter(ranked: readonly Ranked[], cursor: Position, compare: (a: Position, b: Position) => number): number {
  let low = 0;
  let high = ranked.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(ranked[middle]!, cursor) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function matchesQuery(document: SearchDocument, query: WorkerQuery): boolean {
  return anyOf(query.platforms, document.platforms)
    && anyOf(query.architectures, document.architectures)
    && (query.backends.length === 0 || query.backends.includes(document.backend))
    && (query.licenses.length === 0 || query.licenses.some((license) => license.toLowerCase() === document.license.toLowerCase()))
    && query.tags.every((tag) => document.tags.includes(tag))
    && (query.requiresLicense === undefined || query.requiresLicense === document.requiresLicense)
    && (query.maintainer === undefined || document.maintainers.some((maintainer) => maintainer.includes(query.maintainer!)))
    && (query.depends === undefined || document.depends.has(query.depends))
    && (query.provides === undefined || document.provides.has(query.provides))
    && query.terms.every((term) => document.haystack.includes(term));
}

function anyOf(wanted: readonly string[], present: readonly string[]): boolean {
  return wanted.length === 0 || wanted.some((value) => present.includes(value));
}

/** Counts over every match, from the index's integer facet codes: one array increment per value. */
function facetCounts(index: SearchIndex, ranked: readonly Ranked[]): FacetCounts {
  const { values, codes } = index.facets;
  const counts = new Uint32Array(values.length);
  for (const { ordinal } of ranked) for (const code of codes[ordinal]!) counts[code]! += 1;
  const byFacet: Record<FacetName, Array<{ value: string; count: number }>> = { platform: [], arch: [], backend: [], license: [], tag: [] };
  counts.forEach((count, code) => {
    if (count === 0) return;
    const { facet, value } = values[code]!;
    byFacet[facet].push({ value, count });
  });
  for (const list of Object.values(byFacet)) list.sort((a, b) => b.count - a.count || compareIds(a.value, b.value));
  return byFacet;
}
