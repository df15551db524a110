// requestLog: one log line per request, written when the answer is sent,
// with the route pattern (not the raw URL) so lines group by endpoint.

import type { FastifyInstance } from 'fastify';

export function logEveryRequest(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({
      method: request.method,
      route: request.routeOptions.url ?? '(no route)',
      url: request.url,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
    }, 'request');
  });
}
