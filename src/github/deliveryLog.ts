// DeliveryLog: the ids of recent webhook deliveries, so a delivery GitHub (or
// an attacker replaying a captured request) sends twice is processed once.
// Memory is bounded: past `capacity` ids the oldest is forgotten.

export class DeliveryLog {
  readonly #capacity: number;
  // A Set iterates in insertion order, which makes it a FIFO for eviction.
  readonly #ids = new Set<string>();

  constructor(options: { capacity?: number } = {}) {
    this.#capacity = options.capacity ?? 10_000;
    if (!Number.isInteger(this.#capacity) || this.#capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  /** Records the id; true the first time, false when it is still remembered. */
  record(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.#capacity) {
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.#ids.size;
  }
}
