// exportStore: the store a static export is taken from. Its change log's epoch
// is derived from the snapshot id instead of drawn at random, so the index
// dump (which carries its cursor) is the same bytes every time the same
// catalog is exported, and a CDN keeps its copies. A live service has another
// epoch, so the dump's cursor sent to it answers 410 CURSOR_EXPIRED: the
// client downloads the live dump, as it should.

import { createHash } from 'node:crypto';
import { CatalogStore } from '../../src/catalog/catalogStore.js';
import { ChangeLog } from '../../src/catalog/changeLog.js';
import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';

export function exportEpoch(snapshot: CatalogSnapshot): string {
  return createHash('sha256').update(`static-export\0${snapshot.id}`).digest('hex').slice(0, 16);
}

/** A store already serving `snapshot`, with the export's change-log epoch. */
export function exportStore(snapshot: CatalogSnapshot): CatalogStore {
  const store = new CatalogStore({ changes: new ChangeLog({ epoch: exportEpoch(snapshot) }) });
  store.swap(snapshot);
  return store;
}
