// SearchIndex: the served workers of one snapshot as search documents, in the
// orders the API sorts by, built once per snapshot. The documents themselves
// are reused across snapshots (searchDocument), so a push rebuilds only the
// orders, not 10,000 documents.

import { facetCodes, type FacetCodes } from './facetCodes.js';
import { perSnapshot } from './perSnapshot.js';
import { termScoreCache, type TermScoreCache } from './termScores.js';
import { searchDocument, type SearchDocument } from './searchDocument.js';

export interface SearchIndex {
  /** In id order, which is also `sort=name`: a worker's id is its package name, as the AUR's Name is. */
  readonly byId: readonly SearchDocument[];
  /** Places in `byId`, oldest commit first, then id. */
  readonly byUpdatedOrdinals: Uint32Array;
  /** Each document's facet values as integers, by its place in `byId`. */
  readonly facets: FacetCodes;
  /** A query word's score for every document, by its place in `byId`. */
  readonly termScores: TermScoreCache;
  /** Every worker id, sorted: suggest's prefix search is a binary search in it. */
  readonly ids: readonly string[];
  /** Last-Modified of answers about the whole catalog: when the snapshot was built (see assembleSnapshot). */
  readonly changedAt: Date;
}

export const searchIndexOf = perSnapshot((snapshot): SearchIndex => {
  const byId = [...snapshot.workers.values()].map(searchDocument);
  // Ids are in order already, so a stable sort by commit time alone leaves ties in id order.
  const times = Float64Array.from(byId, (document) => document.updated);
  const byUpdated = Uint32Array.from(byId, (_, ordinal) => ordinal).sort((a, b) => times[a]! - times[b]!);
  return {
    byId,
    byUpdatedOrdinals: byUpdated,
    facets: facetCodes(byId),
    termScores: termScoreCache(byId),
    ids: byId.map((document) => document.id),
    changedAt: snapshot.builtAt,
  };
});

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
