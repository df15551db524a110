// rateLimitPlugin: per-client-address limits per route (@fastify/rate-limit),
// with the previous service's limits on the rbee-hive routes and one limit for
// every other catalog route. A revalidation that will answer 304 costs us a
// lookup, so it is never counted — but only when the route can tell, before
// its handler runs, that the client's ETag is current: a made-up
// If-None-Match buys nothing. Webhooks, /health, /ready and /metrics are never limited.

import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RateLimits } from '../config.js';
import { HttpError } from './httpError.js';
import { matchesIfNoneMatch } from './sendCached.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The ETag this route would answer with now, when it can be known before the handler runs. */
    currentEtag?: (request: FastifyRequest) => string | undefined;
  }
}

const ROUTE_LIMITS: Readonly<Record<string, keyof RateLimits>> = {
  '/workers': 'workers',
  '/workers/:id': 'worker',
  '/workers/:id/PKGBUILD': 'pkgbuild',
};
const NEVER_LIMITED = new Set(['/webhooks/github', '/health', '/ready', '/metrics']);

export const rateLimitPlugin = fp(async (app: FastifyInstance, limits: RateLimits) => {
  const limitOf = (request: FastifyRequest): number => limits[ROUTE_LIMITS[request.routeOptions.url ?? ''] ?? 'api'];
  // Decided per route as it is added, before the plugin sees it: a route that is never limited
  // (by nature, or a limit of 0) gets no limiter hook at all rather than one that lets every request through.
  app.addHook('onRoute', (route) => {
    if (NEVER_LIMITED.has(route.url) || limits[ROUTE_LIMITS[route.url] ?? 'api'] === 0) route.config = { ...route.config, rateLimit: false };
  });
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    max: (request) => limitOf(request),
    // One count per address and route: the plugin's global limit alone keys by address only.
    keyGenerator: (request) => `${request.ip}\0${request.routeOptions.url ?? ''}`,
    allowList: (request) => NEVER_LIMITED.has(request.routeOptions.url ?? '') || limitOf(request) === 0 || isCurrentRevalidation(request),
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, 'RATE_LIMITED', `Too many requests: at most ${context.max} a minute from one address; retry in ${context.after}`),
  });
}, { name: 'rate-limits' });

function isCurrentRevalidation(request: FastifyRequest): boolean {
  const header = request.headers['if-none-match'];
  if (header === undefined) return false;
  try {
    const etag = request.routeOptions.config.currentEtag?.(request);
    return etag !== undefined && matchesIfNoneMatch(header, etag);
  } catch {
    // No snapshot yet, or no such worker: the request counts, and its handler answers.
    return false;
  }
}
