// Liveness and readiness, for load balancers and operators:
//   GET /health → 200 while the process runs: version, the index's age, the
//                 last refresh and the last refresh error
//   GET /ready  → 503 until the first index exists, then the same plus the
//                 worker count and index commit
// A failing refresh does not make the service unready: it keeps serving its
// last index, and lastError says why that index is getting old.

import type { FastifyInstance } from 'fastify';
import type { CatalogSnapshot } from '../catalog/snapshot.js';
import type { RefreshStatus } from '../refresh/refreshEngine.js';

export interface HealthRouteOptions {
  readonly serviceVersion: string;
  /** The refresh engine's state; undefined (or absent) while no engine runs. */
  readonly refreshStatus?: (() => RefreshStatus | undefined) | undefined;
  readonly now?: (() => Date) | undefined;
}

export async function healthRoutes(app: FastifyInstance, options: HealthRouteOptions): Promise<void> {
  const { catalog } = app;
  const now = options.now ?? (() => new Date());

  function freshness(snapshot: CatalogSnapshot | undefined): Record<string, unknown> {
    const refresh = options.refreshStatus?.();
    return {
      indexedAt: snapshot?.builtAt.toISOString() ?? null,
      indexAgeSeconds: snapshot === undefined ? null : Math.max(0, Math.round((now().getTime() - snapshot.builtAt.getTime()) / 1000)),
      lastRefreshAt: refresh?.lastRefreshAt?.toISOString() ?? null,
      lastError: refresh?.lastError === undefined ? null : { message: refresh.lastError.message, at: refresh.lastError.at.toISOString() },
      refreshPending: refresh?.pending ?? 0,
      refreshRunning: refresh?.running ?? false,
    };
  }

  app.get('/health', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok', service: 'worker-catalog', version: options.serviceVersion, ...freshness(catalog.store.current) };
  });

  app.get('/ready', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    const snapshot = catalog.store.current;
    if (snapshot === undefined) {
      return reply.code(503).header('retry-after', '5').send({ status: 'starting', code: 'CATALOG_NOT_READY', ...freshness(undefined) });
    }
    return {
      status: 'ready',
      workers: snapshot.workers.size,
      branches: snapshot.branches.size,
      commit: snapshot.defaultBranch?.oid ?? null,
      index: snapshot.id,
      ...freshness(snapshot),
    };
  });
}
