// GET /v1/workers/:id/versions and the files of one version. (Being written.)

import type { FastifyInstance } from 'fastify';

export async function versionRoutes(_app: FastifyInstance): Promise<void> {}
