// The v1 read API:
//   GET /v1/workers/:id                     → everything known about one worker
//   GET /v1/workers/:id/{PKGBUILD,.SRCINFO,metadata.json,README.md} → the file as committed

import type { FastifyInstance } from 'fastify';
import { SERVED_FILES } from '../catalog/indexBranch.js';
import type { ServedWorker } from '../catalog/snapshot.js';
import { v1ErrorResponses } from '../http/errorEnvelope.js';
import { HttpError, workerNotFound } from '../http/httpError.js';
import { sendCached } from '../http/sendCached.js';
import { workerIdParams, type WorkerIdParams } from './workerIdParams.js';

const FILE_MEDIA_TYPES: Readonly<Record<(typeof SERVED_FILES)[number], string>> = {
  PKGBUILD: 'text/plain',
  '.SRCINFO': 'text/plain',
  'metadata.json': 'application/json',
  'README.md': 'text/markdown',
};

export async function v1WorkerRoutes(app: FastifyInstance): Promise<void> {
  const { catalog } = app;
  const schema = { params: workerIdParams, response: { 200: { description: 'Everything the catalog knows about the worker', $ref: 'V1Worker#' }, ...v1ErrorResponses } };
  const servedWorker = (id: string): ServedWorker => {
    const served = catalog.snapshot().workers.get(id);
    if (served === undefined) throw workerNotFound();
    return served;
  };

  // Not async: sendCached answers synchronously, and an async handler's promise would cost each request a turn.
  app.get<{ Params: WorkerIdParams }>('/v1/workers/:id', { schema }, (request, reply) =>
    sendCached(request, reply, servedWorker(request.params.id).v1, catalog.cacheMaxAgeSeconds));

  for (const file of SERVED_FILES) {
    const fileSchema = {
      params: workerIdParams,
      response: {
        200: { description: `The worker's ${file} as committed on its served commit`, content: { [FILE_MEDIA_TYPES[file]]: { schema: { type: 'string' } } } },
        ...v1ErrorResponses,
      },
    };
    app.get<{ Params: WorkerIdParams }>(`/v1/workers/:id/${file}`, { schema: fileSchema }, (request, reply) => {
      const body = servedWorker(request.params.id).files.get(file);
      if (body === undefined) throw new HttpError(404, 'FILE_NOT_FOUND', `This worker has no ${file}`);
      return sendCached(request, reply, body, catalog.cacheMaxAgeSeconds);
    });
  }
}
