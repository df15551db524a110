// KnownQueries: the raw query strings one index has already answered for,
// each with what was derived from it (the parsed query, the ETag). It is a
// memo of values that are cheap to derive again, so it is bounded the
// simplest way: past its bound in entries or characters (a URL may carry
// kilobytes of ignored parameters) it starts over. A lookup is one Map.get:
// an LRU's reordering on every hit would cost more than it saves here.

export class KnownQueries<V> {
  readonly #maxEntries: number;
  readonly #maxCharacters: number;
  readonly #entries = new Map<string, V>();
  #characters = 0;

  constructor(options: { readonly maxEntries: number; readonly maxCharacters: number }) {
    this.#maxEntries = options.maxEntries;
    this.#maxCharacters = options.maxCharacters;
  }

  get(rawQuery: string): V | undefined {
    return this.#entries.get(rawQuery);
  }

  set(rawQuery: string, value: V): void {
    if (this.#entries.has(rawQuery)) return;
    if (this.#entries.size >= this.#maxEntries || this.#characters + rawQuery.length > this.#maxCharacters) {
      this.#entries.clear();
      this.#characters = 0;
    }
    if (rawQuery.length > this.#maxCharacters) return;
    this.#entries.set(rawQuery, value);
    this.#characters += rawQuery.length;
  }

  get size(): number {
    return this.#entries.size;
  }
}
