// SortedChunkMap: an immutable map from strings, iterated in key order, kept
// as a row of sorted chunks of a few dozen entries. `with` makes a new map
// that shares every chunk it does not change, so a snapshot after a push
// copies one chunk and the row of chunk references. With Maps, each push
// copied the previous snapshot's two maps whole: at 10,000 branches about
// 0.9 MB that lived until the next push, survived the young generation and
// piled up in the old one until a full collection (RSS rose ~95 MB per 100
// refreshes between collections, peaking at 926 MB over 1,000).

/** Entries per chunk when a map is made whole; a chunk splits in two above twice this. */
const CHUNK_ENTRIES = 64;
const MAX_CHUNK_ENTRIES = 2 * CHUNK_ENTRIES;

interface Chunk<V> {
  readonly keys: readonly string[];
  readonly values: readonly V[];
}

export class SortedChunkMap<V> implements ReadonlyMap<string, V> {
  readonly size: number;
  readonly #chunks: ReadonlyArray<Chunk<V>>;
  /** The first key of each chunk, for the binary search that finds a key's chunk. */
  readonly #firstKeys: readonly string[];

  private constructor(chunks: ReadonlyArray<Chunk<V>>, size: number) {
    this.#chunks = chunks;
    this.#firstKeys = chunks.map((chunk) => chunk.keys[0]!);
    this.size = size;
  }

  /** `entries` as a SortedChunkMap: the map itself when it is one, else sorted by key (later duplicates win). */
  static from<V>(entries: ReadonlyMap<string, V> | Iterable<readonly [string, V]>): SortedChunkMap<V> {
    if (entries instanceof SortedChunkMap) return entries as SortedChunkMap<V>;
    const unique = entries instanceof Map ? (entries as ReadonlyMap<string, V>) : new Map(entries);
    const sorted = [...unique];
    if (!inKeyOrder(sorted)) sorted.sort(([a], [b]) => compareKeys(a, b));
    const chunks: Array<Chunk<V>> = [];
    for (let start = 0; start < sorted.length; start += CHUNK_ENTRIES) {
      const part = sorted.slice(start, start + CHUNK_ENTRIES);
      chunks.push({ keys: part.map(([key]) => key), values: part.map(([, value]) => value) });
    }
    return new SortedChunkMap(chunks, sorted.length);
  }

  get(key: string): V | undefined {
    const chunk = this.#chunks[this.#chunkIndex(key)];
    if (chunk === undefined) return undefined;
    const index = indexOfKey(chunk.keys, key);
    return index < 0 ? undefined : chunk.values[index];
  }

  has(key: string): boolean {
    const chunk = this.#chunks[this.#chunkIndex(key)];
    return chunk !== undefined && indexOfKey(chunk.keys, key) >= 0;
  }

  /**
   * This map with `changes` made: a key set to a value is added or replaced,
   * a key set to undefined is removed. Chunks no change falls in are shared
   * with this map, which is left as it is.
   */
  with(changes: ReadonlyMap<string, V | undefined>): SortedChunkMap<V> {
    if (changes.size === 0) return this;
    // Each changed key goes to the chunk it sorts into (the first one for keys before every chunk).
    const byChunk = new Map<number, Array<[string, V | undefined]>>();
    for (const change of changes) {
      const index = Math.max(0, this.#chunkIndex(change[0]));
      const list = byChunk.get(index);
      if (list === undefined) byChunk.set(index, [change]);
      else list.push(change);
    }
    const chunks: Array<Chunk<V>> = [];
    let size = this.size;
    // An empty map has no chunk 0 yet: its changes make the first.
    const count = Math.max(1, this.#chunks.length);
    for (let index = 0; index < count; index += 1) {
      const chunk = this.#chunks[index] ?? { keys: [], values: [] };
      const list = byChunk.get(index);
      if (list === undefined) {
        chunks.push(chunk);
        continue;
      }
      const merged = mergeChunk(chunk, list.sort(([a], [b]) => compareKeys(a, b)));
      size += merged.keys.length - chunk.keys.length;
      chunks.push(...splitChunk(merged));
    }
    return new SortedChunkMap(chunks, size);
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this) callback.call(thisArg, value, key, this);
  }

  *entries(): MapIterator<[string, V]> {
    for (const chunk of this.#chunks) {
      for (let index = 0; index < chunk.keys.length; index += 1) yield [chunk.keys[index]!, chunk.values[index]!];
    }
  }

  *keys(): MapIterator<string> {
    for (const chunk of this.#chunks) yield* chunk.keys;
  }

  *values(): MapIterator<V> {
    for (const chunk of this.#chunks) yield* chunk.values;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'SortedChunkMap';
  }

  /** The last chunk whose first key is at most `key`; -1 when `key` sorts before every chunk. */
  #chunkIndex(key: string): number {
    let low = 0;
    let high = this.#firstKeys.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (this.#firstKeys[middle]! <= key) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }
}

/** A chunk's entries with `changes` (sorted by key) made, in key order. */
function mergeChunk<V>(chunk: Chunk<V>, changes: ReadonlyArray<readonly [string, V | undefined]>): Chunk<V> {
  const keys: string[] = [];
  const values: V[] = [];
  let next = 0;
  const keep = (key: string, value: V | undefined): void => {
    if (value === undefined) return;
    keys.push(key);
    values.push(value);
  };
  for (const [key, value] of changes) {
    while (next < chunk.keys.length && chunk.keys[next]! < key) {
      keep(chunk.keys[next]!, chunk.values[next]);
      next += 1;
    }
    if (chunk.keys[next] === key) next += 1;
    keep(key, value);
  }
  for (; next < chunk.keys.length; next += 1) keep(chunk.keys[next]!, chunk.values[next]);
  return { keys, values };
}

/** A chunk that grew past MAX_CHUNK_ENTRIES as two halves; an empty one as none. */
function splitChunk<V>(chunk: Chunk<V>): ReadonlyArray<Chunk<V>> {
  if (chunk.keys.length === 0) return [];
  if (chunk.keys.length <= MAX_CHUNK_ENTRIES) return [chunk];
  const half = Math.ceil(chunk.keys.length / 2);
  return [
    { keys: chunk.keys.slice(0, half), values: chunk.values.slice(0, half) },
    { keys: chunk.keys.slice(half), values: chunk.values.slice(half) },
  ];
}

function indexOfKey(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = keys[middle]!;
    if (at === key) return middle;
    if (at < key) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

function inKeyOrder(entries: ReadonlyArray<readonly [string, unknown]>): boolean {
  for (let index = 1; index < entries.length; index += 1) if (entries[index - 1]![0] >= entries[index]![0]) return false;
  return true;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
