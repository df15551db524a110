// Problem reports for maintainers:
//   GET /v1/problems              → every worker branch with problems: the ones not
//                                   served because of errors, and served ones with warnings
//   GET /v1/workers/:id/problems  → one branch's report, served or not, including a
//                                   rejected newer commit (404 when no such branch exists)

import type { FastifyInstance } from 'fastify';
import { branchProblems } from '../catalog/branchProblems.js';
import { v1ErrorResponses } from '../http/errorEnvelope.js';
import { HttpError } from '../http/httpError.js';
import { sendCached } from '../http/sendCached.js';
import { workerIdParams, type WorkerIdParams } from './workerIdParams.js';

const problemList = { type: 'array', items: { $ref: 'Problem#' } } as const;
const rejectedCommit = {
  description: 'A newer commit that failed validation while an older good one is served',
  oneOf: [{ type: 'null' }, { type: 'object', required: ['oid', 'time', 'problems'], properties: { oid: { type: 'string' }, time: { type: ['string', 'null'] }, problems: problemList } }],
} as const;

const reportSchema = {
  type: 'object',
  required: ['branches', 'total'],
  properties: {
    branches: {
      type: 'array',
      items: {
        type: 'object',
        required: ['branch', 'commit', 'served', 'rejectedNewerCommit', 'problems'],
        properties: { branch: { type: 'string' }, commit: { type: 'string' }, served: { type: 'boolean' }, rejectedNewerCommit: { type: 'boolean' }, servedCommit: { type: ['string', 'null'] }, problems: problemList },
      },
    },
    total: { type: 'integer' },
  },
} as const;

const branchReportSchema = {
  type: 'object',
  required: ['branch', 'served', 'commit', 'problems', 'rejectedNewerCommit'],
  properties: { branch: { type: 'string' }, served: { type: 'boolean' }, commit: { type: 'string' }, problems: problemList, rejectedNewerCommit: rejectedCommit },
} as const;

export async function problemRoutes(app: FastifyInstance): Promise<void> {
  const { catalog } = app;
  app.get('/v1/problems', { schema: { response: { 200: { description: 'Every worker branch with problems', ...reportSchema }, ...v1ErrorResponses } } }, async (request, reply) =>
    sendCached(request, reply, catalog.snapshot().problems, catalog.cacheMaxAgeSeconds));

  app.get<{ Params: WorkerIdParams }>('/v1/workers/:id/problems', {
    schema: { params: workerIdParams, response: { 200: { description: "One branch's problems, served or not", ...branchReportSchema }, ...v1ErrorResponses } },
  }, async (request, reply) => {
    const record = catalog.snapshot().branches.get(request.params.id);
    if (record === undefined) throw new HttpError(404, 'BRANCH_NOT_FOUND', 'No worker branch has this name');
    return sendCached(request, reply, branchProblems(record), catalog.cacheMaxAgeSeconds);
  });
}
