// The v1 read API:
//   GET /v1/workers/:id                     → everything known about one worker
//   GET /v1/workers/:id/{PKGBUILD,.SRCINFO,metadata.json,README.md} → the file as committed

import type { FastifyInstance } from 'fastify';
import { SERVED_FILES } from '../catalog/indexBranch.js';
import type { ServedWorker } from '../catalog/snapshot.js';
import { HttpError, workerNotFound } from '../http/httpError.js';
import { sendCached } from '../http/sendCached.js';
import { workerIdParams, type WorkerIdParams } from './workerIdParams.js';

export async function v1WorkerRoutes(app: FastifyInstance): Promise<void> {
  const { catalog } = app;
  const schema = { params: workerIdParams };
  const servedWorker = (id: string): ServedWorker => {
    const served = catalog.snapshot().workers.get(id);
    if (served === undefined) throw workerNotFound();
    return served;
  };

  app.get<{ Params: WorkerIdParams }>('/v1/workers/:id', { schema }, async (request, reply) =>
    sendCached(request, reply, servedWorker(request.params.id).v1, catalog.cacheMaxAgeSeconds));

  for (const file of SERVED_FILES) {
    app.get<{ Params: WorkerIdParams }>(`/v1/workers/:id/${file}`, { schema }, async (request, reply) => {
      const body = servedWorker(request.params.id).files.get(file);
      if (body === undefined) throw new HttpError(404, 'FILE_NOT_FOUND', `This worker has no ${file}`);
      return sendCached(request, reply, body, catalog.cacheMaxAgeSeconds);
    });
  }
}
