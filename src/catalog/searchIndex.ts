// SearchIndex: the served workers of one snapshot as search documents, in the
// orders the API sorts by, built once per snapshot. The documents themselves
// are reused across snapshots (searchDocument), so a push rebuilds only the
// orders, not 10,000 documents.

import { newestChange } from './assembleSnapshot.js';
import { perSnapshot } from './perSnapshot.js';
import { searchDocument, type SearchDocument } from './searchDocument.js';

export interface SearchIndex {
  /** In id order, which is also `sort=name`: a worker's id is its package name, as the AUR's Name is. */
  readonly byId: readonly SearchDocument[];
  /** Oldest commit first, then id. */
  readonly byUpdated: readonly SearchDocument[];
  /** Every worker id, sorted: suggest's prefix search is a binary search in it. */
  readonly ids: readonly string[];
  /** When the catalog last changed: the newest commit time of a served worker. */
  readonly newest: Date | undefined;
}

export const searchIndexOf = perSnapshot((snapshot): SearchIndex => {
  const byId = [...snapshot.workers.values()].map(searchDocument);
  return {
    byId,
    byUpdated: [...byId].sort(compareByUpdated),
    ids: byId.map((document) => document.id),
    newest: newestChange(snapshot.workers),
  };
});

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareByUpdated(a: Pick<SearchDocument, 'updated' | 'id'>, b: Pick<SearchDocument, 'updated' | 'id'>): number {
  return a.updated - b.updated || compareIds(a.id, b.id);
}
