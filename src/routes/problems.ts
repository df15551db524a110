// GET /v1/problems: every worker branch with problems — the ones not served
// because of errors, and served ones with warnings.

import type { FastifyInstance } from 'fastify';
import { sendCached } from '../http/sendCached.js';

export async function problemRoutes(app: FastifyInstance): Promise<void> {
  const { catalog } = app;
  app.get('/v1/problems', async (request, reply) =>
    sendCached(request, reply, catalog.snapshot().problems, catalog.cacheMaxAgeSeconds));
}
