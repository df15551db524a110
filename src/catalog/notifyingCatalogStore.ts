// NotifyingCatalogStore: a CatalogStore that tells listeners about every
// snapshot swapped in, after readers can see it — how the saved index
// follows swaps made anywhere (start-up, webhooks, the reconcile loop)
// without each of them knowing about saving.

import { CatalogStore } from './catalogStore.js';
import type { SnapshotPatch } from './changeLog.js';
import type { CatalogSnapshot } from './snapshot.js';

export class NotifyingCatalogStore extends CatalogStore {
  readonly #listeners: Array<(snapshot: CatalogSnapshot) => void> = [];

  onSwap(listener: (snapshot: CatalogSnapshot) => void): void {
    this.#listeners.push(listener);
  }

  override swap(next: CatalogSnapshot, patch?: SnapshotPatch): void {
    super.swap(next, patch);
    // Listeners must not throw (IndexSaver.schedule does not); a swap has already happened.
    for (const listener of this.#listeners) listener(next);
  }
}
