// Liveness and readiness, for load balancers and operators:
//   GET /health → {status:"ok", service:"worker-catalog", version} while the process runs
//   GET /ready  → 503 until the first index exists, then the worker count and index commit

import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance, options: { serviceVersion: string }): Promise<void> {
  const { catalog } = app;

  app.get('/health', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok', service: 'worker-catalog', version: options.serviceVersion };
  });

  app.get('/ready', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    const snapshot = catalog.store.current;
    if (snapshot === undefined) {
      return reply.code(503).header('retry-after', '5').send({ status: 'starting', code: 'CATALOG_NOT_READY' });
    }
    return {
      status: 'ready',
      workers: snapshot.workers.size,
      branches: snapshot.branches.size,
      commit: snapshot.defaultBranch?.oid ?? null,
      index: snapshot.id,
      indexedAt: snapshot.builtAt.toISOString(),
    };
  });
}
