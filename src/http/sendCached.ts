// sendCached: writes a prebuilt body with its strong ETag, Last-Modified and
// Cache-Control, compressed when the client accepts it and the body is large
// enough, or 304 when the client already holds it (RFC 9110 §13.1).

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedBody } from '../catalog/cachedBody.js';
import { chooseEncoding, compressedBody, encodedEtag, identityEtag, MIN_COMPRESSED_BYTES } from './contentEncoding.js';

export async function sendCached(request: FastifyRequest, reply: FastifyReply, cached: CachedBody, maxAgeSeconds: number): Promise<FastifyReply> {
  const { etag, lastModified } = cached;
  const encoding = cached.body.byteLength >= MIN_COMPRESSED_BYTES ? chooseEncoding(request.headers['accept-encoding']) : undefined;
  reply
    .header('etag', encodedEtag(etag, encoding))
    .header('cache-control', `public, max-age=${maxAgeSeconds}`)
    .header('vary', 'Accept-Encoding');
  if (lastModified !== undefined) reply.header('last-modified', lastModified.toUTCString());
  if (isNotModified(request, etag, lastModified)) return reply.code(304).send();
  reply.type(cached.contentType);
  if (encoding === undefined) return reply.send(cached.body);
  return reply.header('content-encoding', encoding).send(await compressedBody(cached, encoding));
}

function isNotModified(request: FastifyRequest, etag: string, lastModified: Date | undefined): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  // If-None-Match wins; If-Modified-Since counts only without it (§13.2.2).
  if (ifNoneMatch !== undefined) return matchesIfNoneMatch(ifNoneMatch, etag);
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince === undefined || lastModified === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  // HTTP dates have whole seconds; the commit time may too, but compare like for like.
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}

/**
 * If-None-Match uses the weak comparison: `W/"x"` matches `"x"`; `*` matches
 * anything; a tag of any encoding of this body matches it.
 */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || identityEtag(tag.startsWith('W/') ? tag.slice(2) : tag) === etag;
  });
}
