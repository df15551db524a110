// relevance: how well a worker matches the query terms, for `sort=relevance`.
// Every term already occurs somewhere in the document (that is what matching
// means); the score says where: an exact id beats an id prefix beats a word
// of the name beats a tag beats a mention in the description.

import type { SearchDocument } from './searchDocument.js';

export function relevance(document: SearchDocument, terms: readonly string[]): number {
  let score = 0;
  for (const term of terms) score += termScore(document, term);
  return score;
}

function termScore(document: SearchDocument, term: string): number {
  const { id } = document;
  if (id === term) return 100;
  let score = 0;
  if (id.startsWith(term)) score += 40;
  else if (document.idWords.includes(term)) score += 25;
  else if (id.includes(term)) score += 15;
  if (document.nameWords.includes(term)) score += 20;
  else if (document.nameText.includes(term)) score += 10;
  if (document.tags.includes(term)) score += 12;
  else if (document.keywords.includes(term)) score += 8;
  if (document.descriptionText.includes(term)) score += 3;
  return score;
}
