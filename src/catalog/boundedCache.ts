// BoundedCache: a least-recently-used map bounded in entries and, when a
// weight is given, in total weight (bytes). History answers, per-commit
// results and built tarballs live in these so memory stays bounded however
// many commits or versions clients ask for.

export interface BoundedCacheOptions<V> {
  readonly maxEntries: number;
  /** The most total weight kept; unbounded when absent. */
  readonly maxWeight?: number;
  /** The weight of one value (bytes, say); 1 when absent. */
  readonly weigh?: (value: V) => number;
}

export class BoundedCache<K, V> {
  readonly #maxEntries: number;
  readonly #maxWeight: number;
  readonly #weigh: (value: V) => number;
  // A Map iterates in insertion order: re-inserting on use keeps the oldest first.
  readonly #entries = new Map<K, { value: V; weight: number }>();
  #weight = 0;
  /** The entry last set or read, known to be the newest: reading it again needs no re-insert (the common repeat request). */
  #newest: { value: V; weight: number } | undefined;

  constructor(options: BoundedCacheOptions<V>) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    this.#maxEntries = options.maxEntries;
    this.#maxWeight = options.maxWeight ?? Infinity;
    this.#weigh = options.weigh ?? (() => 1);
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry !== this.#newest) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      this.#newest = entry;
    }
    return entry.value;
  }

  /** Keeps the value unless it alone outweighs the whole cache; evicts the least recently used past a bound. */
  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.#weigh(value);
    if (weight > this.#maxWeight) return;
    const entry = { value, weight };
    this.#entries.set(key, entry);
    this.#newest = entry;
    this.#weight += weight;
    while (this.#entries.size > this.#maxEntries || this.#weight > this.#maxWeight) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
    }
  }

  delete(key: K): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    if (entry === this.#newest) this.#newest = undefined;
    this.#weight -= entry.weight;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The total weight held. */
  get weight(): number {
    return this.#weight;
  }
}
