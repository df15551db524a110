// GET /v1/resolve. (Being written.)

import type { FastifyInstance } from 'fastify';

export async function resolveRoutes(_app: FastifyInstance): Promise<void> {}
