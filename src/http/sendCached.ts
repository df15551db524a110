// sendCached: writes a prebuilt body with its strong ETag and Cache-Control,
// or 304 when the client already holds it (If-None-Match, RFC 9110 §13.1.2).

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedBody } from '../catalog/cachedBody.js';

export function sendCached(request: FastifyRequest, reply: FastifyReply, cached: CachedBody, maxAgeSeconds: number): FastifyReply {
  reply.header('etag', cached.etag).header('cache-control', `public, max-age=${maxAgeSeconds}`);
  if (matchesIfNoneMatch(request.headers['if-none-match'], cached.etag)) {
    return reply.code(304).send();
  }
  return reply.type(cached.contentType).send(cached.body);
}

/** If-None-Match uses the weak comparison: `W/"x"` matches `"x"`; `*` matches anything. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || (tag.startsWith('W/') ? tag.slice(2) : tag) === etag;
  });
}
