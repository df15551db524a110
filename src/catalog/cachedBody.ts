// CachedBody: a response serialised once when a snapshot is built, with its
// strong ETag, so a request costs a lookup and a write — never a stringify.

import { createHash, type Hash } from 'node:crypto';
import type { BranchFile } from './branchRecord.js';

export interface CachedBody {
  readonly body: Buffer;
  /** A strong validator, quotes included: `"…"`. */
  readonly etag: string;
  readonly contentType: string;
  /** When the content last changed (a commit time), sent as Last-Modified; absent when unknown. */
  readonly lastModified?: Date | undefined;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** A body whose ETag is its content digest (128 bits of sha256). */
export function digestBody(body: Buffer, contentType: string, lastModified?: Date): CachedBody {
  return { body, etag: quotedDigest(createHash('sha256').update(body)), contentType, lastModified };
}

export function jsonBody(value: unknown, lastModified?: Date): CachedBody {
  return digestBody(ownBytes(JSON.stringify(value)), JSON_TYPE, lastModified);
}

/**
 * A string's UTF-8 bytes in a buffer of exactly their size. Buffer.from takes
 * strings under 4 kB out of a shared 8 kB pool, and a body that is kept keeps
 * its whole slab: at 10,000 workers the per-worker bodies (three each) pinned
 * 39 MB of slabs for about 20 MB of JSON.
 */
function ownBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

/**
 * `"<22 characters of base64url>"` as one flat string: a template literal
 * would keep a rope of three strings and the whole 43-character digest behind
 * it, about 130 bytes more per kept ETag (tens of thousands of them).
 */
function quotedDigest(hash: Hash): string {
  return JSON.stringify(hash.digest('base64url').slice(0, 22));
}

/**
 * `{"<key>":[…], …extra}` joined from already serialised entries, so a rebuild
 * never re-stringifies them. A push changes one entry of a list that grows
 * with the catalog, so the refresh must not pay for the whole list: the ETag
 * is a digest of the entries' own digests (the bytes are a pure function of
 * them, so it is still a strong validator), and the bytes are joined on first
 * use and kept for the snapshot's life.
 */
export function jsonListBody(key: string, entries: readonly CachedBody[], extra: Record<string, unknown> = {}, lastModified?: Date): CachedBody {
  const extraJson = JSON.stringify(extra).slice(1, -1);
  const head = `{${JSON.stringify(key)}:[`;
  const tail = extraJson === '' ? ']}' : `],${extraJson}}`;
  // One update of one string: per-entry updates cost more than the hashing itself at 10,000 entries.
  const digest = createHash('sha256').update([head, tail, ...entries.map((entry) => entry.etag)].join('\0'));
  let joined: Buffer | undefined;
  return {
    get body(): Buffer {
      joined ??= joinList(head, entries, tail);
      return joined;
    },
    etag: quotedDigest(digest),
    contentType: JSON_TYPE,
    lastModified,
  };
}

/** The pieces of `{"<key>":[…], …extra}` from serialised entries, for answers whose ETag is known another way. */
export function jsonListChunks(key: string, entries: readonly CachedBody[], extra: Record<string, unknown> = {}): Buffer[] {
  const extraJson = JSON.stringify(extra).slice(1, -1);
  return listChunks(`{${JSON.stringify(key)}:[`, entries, extraJson === '' ? ']}' : `],${extraJson}}`);
}

/** The bytes of `{"<key>":[…], …extra}` joined from serialised entries. */
export function jsonListBytes(key: string, entries: readonly CachedBody[], extra: Record<string, unknown> = {}): Buffer {
  return Buffer.concat(jsonListChunks(key, entries, extra));
}

const COMMA = Buffer.from(',');

function listChunks(head: string, entries: readonly CachedBody[], tail: string): Buffer[] {
  const parts: Buffer[] = [Buffer.from(head)];
  entries.forEach((entry, index) => {
    if (index > 0) parts.push(COMMA);
    parts.push(entry.body);
  });
  parts.push(Buffer.from(tail));
  return parts;
}

function joinList(head: string, entries: readonly CachedBody[], tail: string): Buffer {
  return Buffer.concat(listChunks(head, entries, tail));
}

/**
 * A body built on first use and kept. Catalog-wide views (the lists, the
 * problem report) grow with the catalog while a push changes one entry; built
 * lazily, a refresh costs what changed, and the first request after it pays
 * for the view once — reading a getter is synchronous, so requests never see
 * a half-built body.
 */
export function lazyBody(build: () => CachedBody): CachedBody {
  let built: CachedBody | undefined;
  const get = (): CachedBody => (built ??= build());
  return {
    get body() {
      return get().body;
    },
    get etag() {
      return get().etag;
    },
    get contentType() {
      return get().contentType;
    },
    get lastModified() {
      return get().lastModified;
    },
  };
}

/** A file from a branch; git's blob oid already names its exact bytes. */
export function fileBody(file: BranchFile, contentType: string, lastModified?: Date): CachedBody {
  return { body: Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength), etag: `"${file.oid}"`, contentType, lastModified };
}
