// termScores: one query word's relevance for every worker of a snapshot's
// search index (-1 where it does not occur), computed once per index and
// word and kept in a bounded cache. The words people search for repeat, so
// after the first query a word costs one array read per worker instead of
// a substring scan of every worker's text.

import { BoundedCache } from './boundedCache.js';
import { termScore } from './relevance.js';
import type { SearchDocument } from './searchDocument.js';

/** 10,000 workers × 2 bytes × 256 words: at most 5 MB per index. */
const CACHED_TERMS = 256;

export type TermScoreCache = (term: string) => Int16Array;

export function termScoreCache(documents: readonly SearchDocument[]): TermScoreCache {
  const cache = new BoundedCache<string, Int16Array>({ maxEntries: CACHED_TERMS });
  return (term) => {
    let scores = cache.get(term);
    if (scores === undefined) {
      scores = new Int16Array(documents.length);
      for (let ordinal = 0; ordinal < documents.length; ordinal += 1) scores[ordinal] = termScore(documents[ordinal]!, term);
      cache.set(term, scores);
    }
    return scores;
  };
}
