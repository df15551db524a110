// GET /v1/workers/:id/snapshot.tar.gz (and per version). (Being written.)

import type { FastifyInstance } from 'fastify';

export async function snapshotRoutes(_app: FastifyInstance): Promise<void> {}
