// searchWorkers: one page of the workers that match a query, in a total
// order, with the total count and, when asked, facet counts over every match.
// Pure: a search index and a query in, results out.

import { termScore } from './relevance.js';
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
  const candidates = facetCandidates(index, query);
  const ranked = query.sort === 'relevance' ? rankByRelevance(index, query, candidates) : rankInOrder(index, query, candidates);
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

/** Which workers pass every facet filter; undefined when the query has none. */
interface Candidates {
  /** By place in `byId`: the number of filter groups the worker passed. */
  readonly passed: Uint8Array;
  readonly groups: number;
}

/**
 * Reads the posting lists of the filtered facet values. Each group is one
 * any-of filter (platform=a&platform=b) or one required tag; a worker is a
 * candidate when it passed every group, counted once per group.
 */
function facetCandidates(index: SearchIndex, query: WorkerQuery): Candidates | undefined {
  const { codesOf, postings } = index.facets;
  const anyOf = (facet: FacetName, values: readonly string[]): Array<readonly number[]> =>
    values.length === 0 ? [] : [values.flatMap((value) => codesOf(facet, value))];
  const groups = [
    ...anyOf('platform', query.platforms),
    ...anyOf('arch', query.architectures),
    ...anyOf('backend', query.backends),
    ...anyOf('license', query.licenses),
    ...query.tags.map((tag) => codesOf('tag', tag)),
  ];
  if (groups.length === 0) return undefined;
  const passed = new Uint8Array(index.byId.length);
  groups.forEach((codes, group) => {
    for (const code of codes) {
      for (const ordinal of postings[code]!) if (passed[ordinal] === group) passed[ordinal] = group + 1;
    }
  });
  return { passed, groups: groups.length };
}

/** Every match in name (id) or commit-time order, walking the index's prebuilt order. */
function rankInOrder(index: SearchIndex, query: WorkerQuery, candidates: Candidates | undefined): Ranked[] {
  const ranked: Ranked[] = [];
  const byName = query.sort === 'name';
  const ordinals = byName ? undefined : index.byUpdatedOrdinals;
  const count = index.byId.length;
  // The orders are prebuilt ascending; descending walks them backwards.
  const descending = query.order === 'desc';
  for (let i = 0; i < count; i += 1) {
    const at = descending ? count - 1 - i : i;
    const ordinal = ordinals === undefined ? at : ordinals[at]!;
    if (candidates !== undefined && candidates.passed[ordinal] !== candidates.groups) continue;
    const document = index.byId[ordinal]!;
    if (!passesOtherFilters(document, query) || !query.terms.every((term) => document.haystack.includes(term))) continue;
    ranked.push({ document, ordinal, key: byName ? document.id : document.updated, id: document.id });
  }
  return ranked;
}

/**
 * Every match by relevance. Scores are small integers, so matches are put in
 * one bucket per score while walking in id order — each bucket is already in
 * id order — and no comparison sort is needed.
 */
function rankByRelevance(index: SearchIndex, query: WorkerQuery, candidates: Candidates | undefined): Ranked[] {
  const buckets = new Map<number, Ranked[]>();
  index.byId.forEach((document, ordinal) => {
    if (candidates !== undefined && candidates.passed[ordinal] !== candidates.groups) return;
    if (!passesOtherFilters(document, query)) return;
    let score = 0;
    for (const term of query.terms) {
      const points = termScore(document, term);
      if (points < 0) return;
      score += points;
    }
    let bucket = buckets.get(score);
    if (bucket === undefined) buckets.set(score, (bucket = []));
    bucket.push({ document, ordinal, key: score, id: document.id });
  });
  const scores = [...buckets.keys()].sort((a, b) => b - a);
  // desc (the default): the best score first, ids in order; asc is exactly its reverse.
  const ranked = scores.flatMap((score) => buckets.get(score)!);
  return query.order === 'desc' ? ranked : ranked.reverse();
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

/** The filters that posting lists do not answer. */
function passesOtherFilters(document: SearchDocument, query: WorkerQuery): boolean {
  return (query.requiresLicense === undefined || query.requiresLicense === document.requiresLicense)
    && (query.maintainer === undefined || document.maintainers.some((maintainer) => maintainer.includes(query.maintainer!)))
    && (query.depends === undefined || document.depends.has(query.depends))
    && (query.provides === undefined || document.provides.has(query.provides));
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
