// CatalogStore: holds the snapshot currently served. Swapping is one
// assignment, which is what makes an index update atomic for readers.

import type { CatalogSnapshot } from './snapshot.js';

export class CatalogStore {
  #current: CatalogSnapshot | undefined;

  /** Undefined until the first index has been built. */
  get current(): CatalogSnapshot | undefined {
    return this.#current;
  }

  swap(next: CatalogSnapshot): void {
    this.#current = next;
  }
}
