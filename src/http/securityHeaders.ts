// securityHeaders: the headers every answer carries, errors included. The
// service serves data, never pages, so the policy forbids everything.

import type { FastifyInstance } from 'fastify';

const HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'cross-origin',
};

export function addSecurityHeaders(app: FastifyInstance): void {
  // A callback hook: an async one costs every answer a promise and keeps its send from finishing synchronously.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.headers(HEADERS);
    done(null, payload);
  });
}
