// corsPlugin: lets browsers on the configured origins read the catalog — GET,
// HEAD and OPTIONS only (the catalog is read-only; webhooks come from
// servers) — and read the validators and checksums our answers carry.

import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const EXPOSED_HEADERS = ['ETag', 'Last-Modified', 'X-Checksum-Sha256', 'Repr-Digest', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

export const corsPlugin = fp(async (app: FastifyInstance, options: { origins: '*' | readonly string[] }) => {
  await app.register(cors, {
    origin: options.origins === '*' ? '*' : [...options.origins],
    methods: ['GET', 'HEAD', 'OPTIONS'],
    exposedHeaders: EXPOSED_HEADERS,
    // A day: the policy changes only with the configuration.
    maxAge: 86_400,
    // A plain OPTIONS (no Origin) is not a preflight, and must not be refused as a bad one.
    strictPreflight: false,
  });
  // The plugin answers every OPTIONS; the methods a path allows still belong in the answer.
  // A callback hook, not an async one: every answer passes here, and a promise each costs more than the check.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.method === 'OPTIONS' && reply.statusCode === 204 && !reply.hasHeader('allow')) reply.header('allow', 'GET, HEAD, OPTIONS');
    done(null, payload);
  });
}, { name: 'cors' });
