// Problem reports for maintainers:
//   GET /v1/problems              → every worker branch with problems: the ones not
//                                   served because of errors, and served ones with warnings
//   GET /v1/workers/:id/problems  → one branch's report, served or not, including a
//                                   rejected newer commit (404 when no such branch exists)

import type { FastifyInstance } from 'fastify';
import { branchProblems } from '../catalog/branchProblems.js';
import { HttpError } from '../http/httpError.js';
import { sendCached } from '../http/sendCached.js';
import { workerIdParams, type WorkerIdParams } from './workerIdParams.js';

export async function problemRoutes(app: FastifyInstance): Promise<void> {
  const { catalog } = app;
  app.get('/v1/problems', async (request, reply) =>
    sendCached(request, reply, catalog.snapshot().problems, catalog.cacheMaxAgeSeconds));

  app.get<{ Params: WorkerIdParams }>('/v1/workers/:id/problems', { schema: { params: workerIdParams } }, async (request, reply) => {
    const record = catalog.snapshot().branches.get(request.params.id);
    if (record === undefined) throw new HttpError(404, 'BRANCH_NOT_FOUND', 'No worker branch has this name');
    return sendCached(request, reply, branchProblems(record), catalog.cacheMaxAgeSeconds);
  });
}
