// whole-catalog files: /v1/catalog.json, /v1/index.json.gz(.sha256), /v1/changes. (Being written.)

import type { FastifyInstance } from 'fastify';

export async function catalogFileRoutes(_app: FastifyInstance): Promise<void> {}
