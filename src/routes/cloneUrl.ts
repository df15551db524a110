// GET /v1/workers/:id/clone-url → {git_url, branch, commit, clone_command}:
// how to get a worker's build files with git, pinned to the commit served
// (src/catalog/pinnedClone.ts). ETag and Last-Modified come from that commit.

import type { FastifyInstance } from 'fastify';
import { pinnedCloneBody } from '../catalog/pinnedClone.js';
import { v1ErrorResponses } from '../http/errorEnvelope.js';
import { sendCached } from '../http/sendCached.js';
import { servedWorker } from './servedWorker.js';
import { workerIdParams, type WorkerIdParams } from './workerIdParams.js';

export async function cloneUrlRoutes(app: FastifyInstance): Promise<void> {
  const { catalog } = app;
  const schema = {
    params: workerIdParams,
    response: {
      200: {
        description: 'Where the worker\'s branch lives and a shell command that checks out the served commit',
        type: 'object',
        required: ['git_url', 'branch', 'commit', 'clone_command'],
        additionalProperties: false,
        properties: {
          git_url: { type: 'string' },
          branch: { type: 'string' },
          commit: { type: 'string', description: 'The commit oid being served; not always the branch tip.' },
          clone_command: { type: 'string', description: 'POSIX shell; every word quoted where needed. Works with git 2.39 and later.' },
        },
      },
      ...v1ErrorResponses,
    },
  } as const;

  app.get<{ Params: WorkerIdParams }>('/v1/workers/:id/clone-url', { schema }, async (request, reply) => {
    return sendCached(request, reply, pinnedCloneBody(servedWorker(app, request.params.id)), catalog.cacheMaxAgeSeconds);
  });
}
