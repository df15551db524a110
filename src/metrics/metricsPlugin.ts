// metricsPlugin: GET /metrics in Prometheus' text format, and one line of
// bookkeeping per answered request (route pattern, method, status, seconds).
// Without metrics configured, /metrics does not exist and nothing is counted.
// Routes that count more (webhook deliveries) reach the metrics through the
// `catalogMetrics` decorator, undefined when metrics are off.

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CatalogMetrics } from './catalogMetrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    catalogMetrics: CatalogMetrics | undefined;
  }
}

export const metricsPlugin = fp(async (app: FastifyInstance, options: { metrics: CatalogMetrics | undefined }) => {
  const { metrics } = options;
  app.decorate('catalogMetrics', metrics);
  if (metrics === undefined) return;
  // A callback hook: every request passes here, and an async one would cost each a promise.
  app.addHook('onResponse', (request, reply, done) => {
    // The route's pattern, never the URL: ids and queries would grow the label set without end.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store').type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}, { name: 'metrics' });
