// the AUR RPC v5 compatibility routes. (Being written.)

import type { FastifyInstance } from 'fastify';

export async function aurRpcRoutes(_app: FastifyInstance): Promise<void> {}
