// sendCached: writes a prebuilt body with its strong ETag, Last-Modified and
// Cache-Control, compressed when the client accepts it and the body is large
// enough, or 304 when the client already holds it (RFC 9110 §13.1).
//
// Every cached answer passes here, so it does no work a request does not
// need: it returns nothing (a returned reply is a thenable Fastify would wait
// on), the identity and 304 paths are synchronous, and the header values
// that only depend on the body (its date, the cache policy) are formatted once.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedBody } from '../catalog/cachedBody.js';
import { chooseEncoding, compressedBody, encodedEtag, identityEtag, isCompressible, MIN_COMPRESSED_BYTES } from './contentEncoding.js';

/** Undefined once the answer is sent; a promise only while a compressed body is being built. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, cached: CachedBody, maxAgeSeconds: number): Promise<void> | undefined {
  const { etag, lastModified } = cached;
  reply.header('cache-control', cacheControl(maxAgeSeconds));
  addVary(reply, 'Accept-Encoding');
  if (lastModified !== undefined) reply.header('last-modified', httpDate(lastModified));
  // Decided before the body is touched: a body built on demand is never built for a 304.
  const notModified = isNotModified(request, etag, lastModified);
  if (notModified !== false) {
    reply.header('etag', notModified).code(304).send();
    return undefined;
  }
  // Read once: a restored body is read from the saved file each time it is asked for.
  const { body } = cached;
  const worthCompressing = body.byteLength >= MIN_COMPRESSED_BYTES && isCompressible(cached.contentType);
  const encoding = worthCompressing ? chooseEncoding(request.headers['accept-encoding']) : undefined;
  reply.header('etag', encodedEtag(etag, encoding)).type(cached.contentType);
  if (encoding === undefined) {
    reply.send(body);
    return undefined;
  }
  return compressedBody(cached, encoding).then((compressed) => {
    reply.header('content-encoding', encoding).send(compressed);
  });
}

const cacheControls = new Map<number, string>();

/** One string per max-age: the service has one or two. */
function cacheControl(maxAgeSeconds: number): string {
  let value = cacheControls.get(maxAgeSeconds);
  if (value === undefined) {
    value = `public, max-age=${maxAgeSeconds}`;
    cacheControls.set(maxAgeSeconds, value);
  }
  return value;
}

// Bodies share their dates (a snapshot's, a commit's), and a Date is never changed once built.
const httpDates = new WeakMap<Date, string>();

function httpDate(date: Date): string {
  let text = httpDates.get(date);
  if (text === undefined) {
    text = date.toUTCString();
    httpDates.set(date, text);
  }
  return text;
}

/** False, or the ETag a 304 carries: the client's own tag of this body (it may name an encoded representation). */
function isNotModified(request: FastifyRequest, etag: string, lastModified: Date | undefined): string | false {
  const ifNoneMatch = request.headers['if-none-match'];
  // If-None-Match wins; If-Modified-Since counts only without it (§13.2.2).
  if (ifNoneMatch !== undefined) return matchingTag(ifNoneMatch, etag) ?? false;
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince === undefined || lastModified === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  // HTTP dates carry whole seconds.
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000) ? etag : false;
}

/**
 * If-None-Match uses the weak comparison: `W/"x"` matches `"x"`; `*` matches
 * anything; a tag of any encoding of this body matches it.
 */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  return header !== undefined && matchingTag(header, etag) !== undefined;
}

/** The tag of `header` that matches `etag`, without a weak prefix; `etag` itself for `*`. */
function matchingTag(header: string, etag: string): string | undefined {
  // A revalidating client sends back the one tag it got: no list to split.
  if (!header.includes(',')) return matchingCandidate(header.trim(), etag);
  for (const candidate of header.split(',')) {
    const match = matchingCandidate(candidate.trim(), etag);
    if (match !== undefined) return match;
  }
  return undefined;
}

function matchingCandidate(tag: string, etag: string): string | undefined {
  if (tag === etag || tag === '*') return etag;
  const strong = tag.startsWith('W/') ? tag.slice(2) : tag;
  return identityEtag(strong) === etag ? strong : undefined;
}

/** Adds a request header to Vary, keeping what others (CORS's Origin) put there. */
function addVary(reply: FastifyReply, name: string): void {
  const current = reply.getHeader('vary');
  if (current === undefined) {
    reply.header('vary', name);
    return;
  }
  const names = String(current).split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (!names.some((existing) => existing.toLowerCase() === name.toLowerCase())) names.push(name);
  reply.header('vary', names.join(', '));
}
