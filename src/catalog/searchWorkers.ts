// searchWorkers: one page of the workers that match a query, in a total
// order, with the total count and, when asked, facet counts over every match.
// Pure: a search index and a query in, results out.

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

/**
 * Every match, in the query's order, as places in the index's `byId` — typed
 * arrays, not objects, so a query that matches 10,000 workers allocates two
 * arrays rather than 10,000 records — with each place's sort key.
 */
interface Ranking {
  readonly ordinals: Uint32Array;
  /** The sort key at a position: the id, the commit time or the score. */
  keyAt(position: number): string | number;
}

/** What the order compares: a result's sort key and id, or a cursor's. */
interface Position {
  readonly key: string | number;
  readonly id: string;
}

export function searchWorkers(index: SearchIndex, query: WorkerQuery): SearchResult {
  const candidates = facetCandidates(index, query);
  const ranking = query.sort === 'relevance' ? rankByRelevance(index, query, candidates) : rankInOrder(index, query, candidates);
  const { ordinals } = ranking;
  const at = (position: number): Position => ({ key: ranking.keyAt(position), id: index.byId[ordinals[position]!]!.id });
  const start = query.after === undefined ? 0 : firstAfter(ordinals.length, at, query.after, comparator(query));
  const end = Math.min(ordinals.length, start + query.limit);
  const page: SearchDocument[] = [];
  for (let position = start; position < end; position += 1) page.push(index.byId[ordinals[position]!]!);
  return {
    page,
    total: ordinals.length,
    next: end < ordinals.length && end > start ? { sort: query.sort, order: query.order, ...at(end - 1) } : undefined,
    facets: query.facets ? facetCounts(index, ordinals) : undefined,
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

/** Each query word's scores (termScores.ts), and whether a place matches the query apart from them. */
function matcher(index: SearchIndex, query: WorkerQuery, candidates: Candidates | undefined) {
  const scores = query.terms.map((term) => index.termScores(term));
  const passes = (ordinal: number): boolean =>
    (candidates === undefined || candidates.passed[ordinal] === candidates.groups) && passesOtherFilters(index.byId[ordinal]!, query);
  /** The summed score of every word at a place, or -1 when a word does not occur there. */
  const score = (ordinal: number): number => {
    let sum = 0;
    for (const perWord of scores) {
      const points = perWord[ordinal]!;
      if (points < 0) return -1;
      sum += points;
    }
    return sum;
  };
  return { passes, score };
}

/** Every match in name (id) or commit-time order, walking the index's prebuilt order. */
function rankInOrder(index: SearchIndex, query: WorkerQuery, candidates: Candidates | undefined): Ranking {
  const { passes, score } = matcher(index, query, candidates);
  const count = index.byId.length;
  const byName = query.sort === 'name';
  const order = byName ? undefined : index.byUpdatedOrdinals;
  const ordinals = new Uint32Array(count);
  let matches = 0;
  // The orders are prebuilt ascending; descending walks them backwards.
  const descending = query.order === 'desc';
  for (let i = 0; i < count; i += 1) {
    const at = descending ? count - 1 - i : i;
    const ordinal = order === undefined ? at : order[at]!;
    if (passes(ordinal) && score(ordinal) >= 0) ordinals[matches++] = ordinal;
  }
  const ranked = ordinals.subarray(0, matches);
  const document = (position: number): SearchDocument => index.byId[ranked[position]!]!;
  return { ordinals: ranked, keyAt: byName ? (position) => document(position).id : (position) => document(position).updated };
}

/**
 * Every match by relevance: a counting sort by score. Walking in id order and
 * placing each match after the better scores keeps ids in order within a
 * score, with no comparison sort.
 */
function rankByRelevance(index: SearchIndex, query: WorkerQuery, candidates: Candidates | undefined): Ranking {
  const { passes, score } = matcher(index, query, candidates);
  const count = index.byId.length;
  const scores = new Int32Array(count).fill(-1);
  let best = 0;
  for (let ordinal = 0; ordinal < count; ordinal += 1) {
    if (!passes(ordinal)) continue;
    const points = score(ordinal);
    scores[ordinal] = points;
    if (points > best) best = points;
  }
  // starts[s]: where score s begins when the best scores come first.
  const starts = new Uint32Array(best + 2);
  for (const points of scores) if (points >= 0) starts[best - points + 1]! += 1;
  for (let s = 1; s < starts.length; s += 1) starts[s]! += starts[s - 1]!;
  const matches = starts[best + 1]!;
  const ordinals = new Uint32Array(matches);
  const keys = new Int32Array(matches);
  for (let ordinal = 0; ordinal < count; ordinal += 1) {
    const points = scores[ordinal]!;
    if (points < 0) continue;
    const position = starts[best - points]!++;
    ordinals[position] = ordinal;
    keys[position] = points;
  }
  // desc (the default): the best score first, ids in order; asc is exactly its reverse.
  if (query.order === 'asc') {
    ordinals.reverse();
    keys.reverse();
  }
  return { ordinals, keyAt: (position) => keys[position]! };
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

/** The first position ordered after the cursor (binary search: results are sorted). */
function firstAfter(length: number, at: (position: number) => Position, cursor: Position, compare: (a: Position, b: Position) => number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(at(middle), cursor) <= 0) low = middle + 1;
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
function facetCounts(index: SearchIndex, ordinals: Uint32Array): FacetCounts {
  const { values, codes } = index.facets;
  const counts = new Uint32Array(values.length);
  for (const ordinal of ordinals) for (const code of codes[ordinal]!) counts[code]! += 1;
  const byFacet: Record<FacetName, Array<{ value: string; count: number }>> = { platform: [], arch: [], backend: [], license: [], tag: [] };
  counts.forEach((count, code) => {
    if (count === 0) return;
    const { facet, value } = values[code]!;
    byFacet[facet].push({ value, count });
  });
  for (const list of Object.values(byFacet)) list.sort((a, b) => b.count - a.count || compareIds(a.value, b.value));
  return byFacet;
}
