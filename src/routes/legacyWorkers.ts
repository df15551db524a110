// The rbee-hive contract, unchanged from the previous service:
//   GET /workers                 → {"workers":[…]}
//   GET /workers/:id             → the entry itself, not wrapped
//   GET /workers/:id/PKGBUILD    → text/plain
//   GET /workers/:id/clone-url   → {git_url, branch, clone_command}
// The seed's shorthand (`/workers/cpu/PKGBUILD`) names an llm-worker-rbee
// backend, so a bare backend name resolves to `llm-worker-rbee-<backend>`.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CachedBody } from '../catalog/cachedBody.js';
import type { CatalogSnapshot, ServedWorker } from '../catalog/snapshot.js';
import { workerNotFound } from '../http/httpError.js';
import { sendCached } from '../http/sendCached.js';
import { workerIdParams, type WorkerIdParams } from './workerIdParams.js';

const BACKEND_SHORTHANDS = new Set(['cpu', 'cuda', 'metal', 'rocm']);

export async function legacyWorkerRoutes(app: FastifyInstance): Promise<void> {
  const { catalog } = app;
  const schema = { params: workerIdParams };
  // Each answer's ETag is known from the snapshot alone, so a current revalidation is not rate-limited (rateLimits.ts).
  // The handlers are not async: sendCached answers synchronously, and an async handler's promise would cost each request a turn.
  const idOf = (request: FastifyRequest): string => (request.params as WorkerIdParams).id;
  const pkgbuildOf = (id: string): CachedBody => {
    const pkgbuild = legacyWorker(catalog.snapshot(), id).files.get('PKGBUILD');
    if (pkgbuild === undefined) throw workerNotFound();
    return pkgbuild;
  };

  app.get('/workers', { config: { currentEtag: () => catalog.snapshot().legacyList.etag } }, (request, reply) =>
    sendCached(request, reply, catalog.snapshot().legacyList, catalog.cacheMaxAgeSeconds));

  app.get<{ Params: WorkerIdParams }>('/workers/:id', {
    schema,
    config: { currentEtag: (request) => legacyWorker(catalog.snapshot(), idOf(request)).legacy.etag },
  }, (request, reply) =>
    sendCached(request, reply, legacyWorker(catalog.snapshot(), request.params.id).legacy, catalog.cacheMaxAgeSeconds));

  app.get<{ Params: WorkerIdParams }>('/workers/:id/PKGBUILD', {
    schema,
    config: { currentEtag: (request) => pkgbuildOf(idOf(request)).etag },
  }, (request, reply) => sendCached(request, reply, pkgbuildOf(request.params.id), catalog.cacheMaxAgeSeconds));

  app.get<{ Params: WorkerIdParams }>('/workers/:id/clone-url', { schema }, (request, reply) =>
    sendCached(request, reply, legacyWorker(catalog.snapshot(), request.params.id).cloneUrl, catalog.cacheMaxAgeSeconds));
}

function legacyWorker(snapshot: CatalogSnapshot, id: string): ServedWorker {
  const served = snapshot.workers.get(id)
    ?? (BACKEND_SHORTHANDS.has(id) ? snapshot.workers.get(`llm-worker-rbee-${id}`) : undefined);
  if (served === undefined) throw workerNotFound();
  return served;
}
