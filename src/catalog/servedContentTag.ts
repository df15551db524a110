// servedContentTag: a digest of everything a snapshot serves, for ETags of
// answers derived from the whole catalog (search, resolve, AUR RPC). The
// snapshot id digests branch tips only, and equal tips can serve different
// bytes: a restart forgets the last good version behind a rejected tip, and a
// new service version may write entries differently. The v1 list's ETag
// digests every served entry's own ETag, once per snapshot.

import { createHash } from 'node:crypto';
import type { CatalogSnapshot } from './snapshot.js';

export function servedContentTag(snapshot: CatalogSnapshot): string {
  return snapshot.v1List.etag;
}

/**
 * 22 base64url characters naming an answer that is a pure function of what
 * the snapshot serves and `key` (the normalised request), within `scope` (the
 * API it belongs to): a digest of a short string, never of the answer.
 */
export function servedAnswerDigest(snapshot: CatalogSnapshot, scope: string, key: string): string {
  return createHash('sha256').update(`${scope}\0${servedContentTag(snapshot)}\0${key}`).digest('base64url').slice(0, 22);
}
