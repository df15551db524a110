// SearchCursor: where a page of search results ended, as an opaque string.
// Keyset, not offset: it names the last result's sort key and id, so a page
// that follows a push neither repeats nor skips the workers that stayed.

export type SortField = 'name' | 'updated' | 'relevance';
export type SortOrder = 'asc' | 'desc';

export interface SearchCursor {
  readonly sort: SortField;
  readonly order: SortOrder;
  /** The last result's sort key: its id, commit time or score. */
  readonly key: string | number;
  readonly id: string;
}

export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.order, cursor.key, cursor.id])).toString('base64url');
}

export type DecodedCursor = { readonly cursor: SearchCursor } | { readonly invalid: string };

/** The cursor a client sent back, or why it is not one we made for this sort. */
export function decodeCursor(text: string, sort: SortField, order: SortOrder): DecodedCursor {
  const foreign = { invalid: 'the cursor is not one this server made' };
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return foreign;
  }
  if (!Array.isArray(value) || value.length !== 4) return foreign;
  const [cursorSort, cursorOrder, key, id] = value as unknown[];
  if (cursorSort !== sort || cursorOrder !== order) {
    return { invalid: `the cursor belongs to sort=${String(cursorSort)}&order=${String(cursorOrder)}: repeat the query it came from` };
  }
  const keyIsValid = sort === 'name' ? typeof key === 'string' : typeof key === 'number' && Number.isFinite(key);
  if (!keyIsValid || typeof id !== 'string') return foreign;
  return { cursor: { sort, order, key: key as string | number, id } };
}
