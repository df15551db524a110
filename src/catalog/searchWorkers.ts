// searchWorkers: one page of the workers that match a query, in a total
// order, with the total count and, when asked, facet counts over every match.
// Pure: a search index and a query in, results out.

import { relevance } from './relevance.js';
import type { SearchCursor, SortField, SortOrder } from './searchCursor.js';
import type { SearchDocument } from './searchDocument.js';
import { compareByUpdated, compareIds, type SearchIndex } from './searchIndex.js';

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

export type FacetCounts = Readonly<Record<FacetName, ReadonlyArray<{ readonly value: string; readonly count: number }>>>;
export type FacetName = 'platform' | 'arch' | 'backend' | 'license' | 'tag';

export interface SearchResult {
  readonly page: readonly SearchDocument[];
  readonly total: number;
  /** Where the next page starts; undefined on the last page. */
  readonly next: SearchCursor | undefined;
  readonly facets: FacetCounts | undefined;
}

interface Ranked {
  readonly document: SearchDocument;
  readonly key: string | number;
}

export function searchWorkers(index: SearchIndex, query: WorkerQuery): SearchResult {
  const ranked = rank(index, query);
  const start = query.after === undefined ? 0 : firstAfter(ranked, query.after, comparator(query));
  const pageRanks = ranked.slice(start, start + query.limit);
  const last = pageRanks.at(-1);
  const more = start + pageRanks.length < ranked.length;
  return {
    page: pageRanks.map((entry) => entry.document),
    total: ranked.length,
    next: more && last !== undefined ? { sort: query.sort, order: query.order, key: last.key, id: last.document.id } : undefined,
    facets: query.facets ? facetCounts(ranked) : undefined,
  };
}

/** Every match, in the query's order, with its sort key. */
function rank(index: SearchIndex, query: WorkerQuery): Ranked[] {
  const matches = (document: SearchDocument): boolean => matchesQuery(document, query);
  if (query.sort === 'relevance') {
    const ranked = index.byId.filter(matches).map((document) => ({ document, key: relevance(document, query.terms) }));
    return ranked.sort(comparator(query));
  }
  const ordered = query.sort === 'name' ? index.byId : index.byUpdated;
  const key = query.sort === 'name' ? (document: SearchDocument) => document.id : (document: SearchDocument) => document.updated;
  const ranked: Ranked[] = [];
  // The orders are prebuilt ascending; descending walks them backwards.
  const descending = query.order === 'desc';
  for (let i = 0; i < ordered.length; i += 1) {
    const document = ordered[descending ? ordered.length - 1 - i : i]!;
    if (matches(document)) ranked.push({ document, key: key(document) });
  }
  return ranked;
}

/** The total order of a query's results: its sort key, then the id, reversed for `desc`. */
function comparator(query: WorkerQuery): (a: Ranked | CursorLike, b: Ranked | CursorLike) => number {
  const ascending = (a: Ranked | CursorLike, b: Ranked | CursorLike): number => {
    const [keyA, idA] = keyOf(a);
    const [keyB, idB] = keyOf(b);
    if (query.sort === 'name') return compareIds(idA, idB);
    if (query.sort === 'updated') return compareByUpdated({ updated: keyA as number, id: idA }, { updated: keyB as number, id: idB });
    // Ascending relevance is the worst match first, so that `desc` (the default) is the best first, ids in order.
    return (keyA as number) - (keyB as number) || compareIds(idB, idA);
  };
  return query.order === 'desc' ? (a, b) => ascending(b, a) : ascending;
}

type CursorLike = Pick<SearchCursor, 'key' | 'id'>;

function keyOf(entry: Ranked | CursorLike): [string | number, string] {
  return 'document' in entry ? [entry.key, entry.document.id] : [entry.key, entry.id];
}

/** The index of the first result ordered after the cursor (binary search: results are sorted). */
function firstAfter(ranked: readonly Ranked[], cursor: SearchCursor, compare: (a: Ranked | CursorLike, b: Ranked | CursorLike) => number): number {
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

function facetCounts(ranked: readonly Ranked[]): FacetCounts {
  const counters: Record<FacetName, Map<string, number>> = { platform: new Map(), arch: new Map(), backend: new Map(), license: new Map(), tag: new Map() };
  const count = (facet: FacetName, value: string): void => {
    const counter = counters[facet];
    counter.set(value, (counter.get(value) ?? 0) + 1);
  };
  for (const { document } of ranked) {
    for (const platform of document.platforms) count('platform', platform);
    for (const arch of document.architectures) count('arch', arch);
    count('backend', document.backend);
    count('license', document.license);
    for (const tag of document.tags) count('tag', tag);
  }
  const sorted = (counter: Map<string, number>) =>
    [...counter].map(([value, n]) => ({ value, count: n })).sort((a, b) => b.count - a.count || compareIds(a.value, b.value));
  return {
    platform: sorted(counters.platform),
    arch: sorted(counters.arch),
    backend: sorted(counters.backend),
    license: sorted(counters.license),
    tag: sorted(counters.tag),
  };
}
