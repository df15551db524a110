// GET /v1/resolve?worker=FAMILY|ID&platform=P&arch=A[&accel=B1,B2…][&free=true]
//   → 200 {worker, version, workerType, entry, reason, query, candidates}
//   → 404 NO_MATCHING_WORKER {error, query, candidates} with each candidate's reasons
//   → 404 WORKER_NOT_FOUND when no worker or family has that name
// rbee-hive's `install <family> --auto`: the best variant for a host, and why
// (src/catalog/resolveWorker.ts decides). platform and arch are required: an
// answer that ignored the host could name a worker that cannot run there.
// `accel` is the host's backends, most preferred first; without it every
// backend is acceptable, GPUs first (defaultBackendOrder). `free=true` leaves
// out workers that need a purchased license.

import type { FastifyInstance } from 'fastify';
import { metadataVocabulary } from '../catalog/metadataVocabulary.js';
import { REASON_CODES } from '../catalog/resolveWorker.js';
import { resolveAnswer } from '../catalog/resolveAnswer.js';
import { v1ErrorResponses, v1ErrorSchema } from '../http/errorEnvelope.js';
import { invalidQuery, workerNotFound } from '../http/httpError.js';
import { sendCached } from '../http/sendCached.js';
import { workerIdParams } from './workerIdParams.js';

interface ResolveQuery {
  readonly worker: string;
  readonly platform: string;
  readonly arch: string;
  readonly accel?: string;
  readonly free?: boolean;
}

const stringList = { type: 'array', items: { type: 'string' } } as const;

export async function resolveRoutes(app: FastifyInstance): Promise<void> {
  const { catalog } = app;
  const { platforms, architectures, backends } = metadataVocabulary();
  const query = {
    type: 'object',
    properties: {
      worker: workerIdParams.properties.id,
      platform: { type: 'string', enum: platforms },
      arch: { type: 'string', enum: architectures },
      accel: {
        type: 'string',
        maxLength: 200,
        pattern: '^[a-z0-9]+(,[a-z0-9]+)*$',
        description: `Comma-separated backends the host offers, most preferred first (${backends.join(', ')}).`,
      },
      free: { type: 'boolean', description: 'true: leave out workers that need a purchased license.' },
    },
    required: ['worker', 'platform', 'arch'],
    additionalProperties: false,
  } as const;
  const candidates = {
    type: 'array',
    items: {
      type: 'object',
      required: ['id', 'workerType', 'requiresLicense', 'matched', 'reasons'],
      additionalProperties: false,
      properties: {
        id: { type: 'string' },
        workerType: { type: 'string' },
        requiresLicense: { type: 'boolean' },
        matched: { type: 'boolean' },
        reasons: { ...stringList, description: `Why it does not fit, each \`CODE: words\`; codes: ${Object.values(REASON_CODES).join(', ')}.` },
      },
    },
  } as const;
  const normalisedQuery = {
    type: 'object',
    required: ['worker', 'platform', 'arch', 'accel', 'free'],
    additionalProperties: false,
    properties: { worker: { type: 'string' }, platform: { type: 'string' }, arch: { type: 'string' }, accel: stringList, free: { type: 'boolean' } },
  } as const;
  const schema = {
    querystring: query,
    response: {
      200: {
        description: 'The best fitting variant, its v1 entry, and why',
        type: 'object',
        required: ['worker', 'version', 'workerType', 'entry', 'reason', 'query', 'candidates'],
        additionalProperties: false,
        properties: {
          worker: { type: 'string' },
          version: { type: 'string' },
          workerType: { type: 'string' },
          entry: { $ref: 'V1Worker#', description: 'The worker as GET /v1/workers/:id answers it.' },
          reason: { type: 'string' },
          query: normalisedQuery,
          candidates,
        },
      },
      ...v1ErrorResponses,
      404: {
        description: 'No worker of that name (WORKER_NOT_FOUND), or none of its variants fits (NO_MATCHING_WORKER, with every candidate\'s reasons)',
        type: 'object',
        required: ['error'],
        additionalProperties: false,
        properties: { error: v1ErrorSchema.properties.error, query: normalisedQuery, candidates },
      },
    },
  } as const;

  app.get<{ Querystring: ResolveQuery }>('/v1/resolve', { schema }, async (request, reply) => {
    const { worker, platform, arch, free } = request.query;
    const accel = request.query.accel?.split(',');
    const unknown = accel?.filter((backend) => !backends.includes(backend)) ?? [];
    if (unknown.length > 0) throw invalidQuery(`Unknown backend in accel: ${unknown.join(', ')}`, `accel takes ${backends.join(', ')}`);
    const answer = resolveAnswer(catalog.snapshot(), { worker, platform, arch, accel, free });
    if (answer.status === 200) return sendCached(request, reply, answer.body, catalog.cacheMaxAgeSeconds);
    if (answer.code === 'WORKER_NOT_FOUND') throw workerNotFound();
    return reply.code(404).type('application/json; charset=utf-8').send(answer.body);
  });
}
