// CatalogStore: holds the snapshot currently served. Swapping is one
// assignment, which is what makes an index update atomic for readers; each
// swap also records what changed in the store's change log (/v1/changes).

import { ChangeLog, type SnapshotPatch } from './changeLog.js';
import type { CatalogSnapshot } from './snapshot.js';

export class CatalogStore {
  #current: CatalogSnapshot | undefined;
  /** Workers added, updated and removed at each swap, since this store was made. */
  readonly changes: ChangeLog;

  constructor(options: { changes?: ChangeLog } = {}) {
    this.changes = options.changes ?? new ChangeLog();
  }

  /** Undefined until the first index has been built. */
  get current(): CatalogSnapshot | undefined {
    return this.#current;
  }

  /** `patch`: how `next` was made, when it was patched from a snapshot (see ChangeLog.record). */
  swap(next: CatalogSnapshot, patch?: SnapshotPatch): void {
    // Recorded first: a reader that sees `next` finds its cursor already there.
    this.changes.record(this.#current, next, patch);
    this.#current = next;
  }
}
