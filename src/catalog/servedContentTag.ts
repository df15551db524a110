// servedContentTag: a digest of everything a snapshot serves, for ETags of
// answers derived from the whole catalog (search, resolve, AUR RPC). The
// snapshot id digests branch tips only, and equal tips can serve different
// bytes: a restart forgets the last good version behind a rejected tip, and a
// new service version may write entries differently. The v1 list's ETag
// digests every served entry's own ETag, once per snapshot.

import type { CatalogSnapshot } from './snapshot.js';

export function servedContentTag(snapshot: CatalogSnapshot): string {
  return snapshot.v1List.etag;
}
