// QuietCollector: runs a full garbage collection once the catalog has been
// quiet for a while after a change (the first index, a burst of pushes), so
// that what the change left dead is handed back instead of staying resident
// until V8 next needs the space. A full collection stops the event loop for
// its length (170–260 ms at 10,000 branches, measured), so it waits for
// quiet rather than running under load, where V8's own incremental
// collections keep the heap in check; a change during the wait restarts it.

import type { GitLogger } from '../git/gitLogger.js';

export interface QuietCollectorOptions {
  /** Runs the collection (fullCollection() in the service; a spy in tests). */
  readonly collect: () => void;
  readonly logger: GitLogger;
  /** How long changes must have stopped before collecting. */
  readonly quietMs?: number;
}

/** Longer than the saver's quiet time (5 s) plus a save, so the save's own garbage goes too. */
export const DEFAULT_QUIET_COLLECTION_MS = 10_000;

export class QuietCollector {
  readonly #options: QuietCollectorOptions;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: QuietCollectorOptions) {
    this.#options = options;
  }

  /** Something changed: collect once nothing more has for quietMs. */
  changed(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#collectNow(), this.#options.quietMs ?? DEFAULT_QUIET_COLLECTION_MS);
    this.#timer.unref();
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #collectNow(): void {
    this.#timer = undefined;
    const before = process.memoryUsage();
    const started = performance.now();
    this.#options.collect();
    const durationMs = performance.now() - started;
    const after = process.memoryUsage();
    const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;
    this.#options.logger.info({
      durationMs: Math.round(durationMs),
      heapUsedMb: mb(after.heapUsed),
      freedHeapMb: mb(before.heapUsed - after.heapUsed),
      freedExternalMb: mb(before.external - after.external),
      // Buffers live outside the heap: most of a 10,000-branch catalog's bytes are here.
      externalMb: mb(after.external),
      rssMb: mb(after.rss),
    }, 'collected garbage after the catalog went quiet');
  }
}
