// CachedBody: a response serialised once when a snapshot is built, with its
// strong ETag, so a request costs a lookup and a write — never a stringify.

import { createHash } from 'node:crypto';
import type { BranchFile } from './branchRecord.js';

export interface CachedBody {
  readonly body: Buffer;
  /** A strong validator, quotes included: `"…"`. */
  readonly etag: string;
  readonly contentType: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** A body whose ETag is its content digest (128 bits of sha256). */
export function digestBody(body: Buffer, contentType: string): CachedBody {
  const digest = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return { body, etag: `"${digest}"`, contentType };
}

export function jsonBody(value: unknown): CachedBody {
  return digestBody(Buffer.from(JSON.stringify(value)), JSON_TYPE);
}

/** `{"<key>":[…], …extra}` joined from already serialised entries, so a rebuild never re-stringifies them. */
export function jsonListBody(key: string, entries: readonly CachedBody[], extra: Record<string, unknown> = {}): CachedBody {
  const extraJson = JSON.stringify(extra).slice(1, -1);
  const parts: Buffer[] = [Buffer.from(`{${JSON.stringify(key)}:[`)];
  entries.forEach((entry, index) => {
    if (index > 0) parts.push(Buffer.from(','));
    parts.push(entry.body);
  });
  parts.push(Buffer.from(extraJson === '' ? ']}' : `],${extraJson}}`));
  return digestBody(Buffer.concat(parts), JSON_TYPE);
}

/** A file from a branch; git's blob oid already names its exact bytes. */
export function fileBody(file: BranchFile, contentType: string): CachedBody {
  return { body: Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength), etag: `"${file.oid}"`, contentType };
}
