// termScore: how well one query term matches a worker, for `sort=relevance`,
// or -1 when it does not occur at all (which is also what matching means).
// One indexOf in the document's haystack decides both: the haystack lists
// the best fields first, so where the term first occurs says how good the
// match is — the exact id, then the start of the id, a word of the id, a
// word of the name, a whole tag or keyword, and last the description.

import type { SearchDocument } from './searchDocument.js';

export function termScore(document: SearchDocument, term: string): number {
  const { haystack } = document;
  const at = haystack.indexOf(term);
  if (at < 0) return -1;
  const end = at + term.length;
  if (at < document.idEnd) {
    if (term.length === document.idEnd) return 100;
    if (at === 0) return 40;
    return isWord(haystack, at, end) ? 25 : 15;
  }
  if (at < document.nameEnd) return isWord(haystack, at, end) ? 20 : 10;
  if (at < document.labelsEnd) return isLine(haystack, at, end) ? 12 : 6;
  return isWord(haystack, at, end) ? 4 : 2;
}

/** True when `haystack[at, end)` has no letter or digit right before or after it. */
function isWord(haystack: string, at: number, end: number): boolean {
  return !isAlphanumeric(haystack.charCodeAt(at - 1)) && !isAlphanumeric(haystack.charCodeAt(end));
}

/** True when `haystack[at, end)` is a whole line: a whole tag or keyword. */
function isLine(haystack: string, at: number, end: number): boolean {
  return haystack.charCodeAt(at - 1) === 10 && (end === haystack.length || haystack.charCodeAt(end) === 10);
}

function isAlphanumeric(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
}
