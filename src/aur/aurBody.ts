// aurBody: an AUR RPC answer as a CachedBody for sendCached — JSON, or the
// JSONP script aurweb writes for a `callback` (`/**/name({…})`,
// text/javascript). Its ETag is a digest of what the snapshot serves
// (servedContentTag) and the normalised request, so it costs a small digest
// of the request, never a hash of the response.

import type { CachedBody } from '../catalog/cachedBody.js';
import { servedAnswerDigest } from '../catalog/servedContentTag.js';
import type { CatalogSnapshot } from '../catalog/snapshot.js';
import type { AurAnswer } from './aurAnswer.js';

export function aurBody(snapshot: CatalogSnapshot, answer: AurAnswer, callback?: string): CachedBody {
  const key = callback === undefined ? answer.key : `${answer.key}\0callback=${callback}`;
  const etag = `"aur-${servedAnswerDigest(snapshot, 'aur', key)}"`;
  if (callback === undefined) return { body: Buffer.from(answer.json), etag, contentType: 'application/json; charset=utf-8' };
  return { body: Buffer.from(`/**/${callback}(${answer.json})`), etag, contentType: 'text/javascript; charset=utf-8' };
}
