// GET /v1/workers with search, POST /v1/workers/info, /v1/suggest, /v1/tags. (Being written.)

import type { FastifyInstance } from 'fastify';

export async function searchRoutes(_app: FastifyInstance): Promise<void> {}
