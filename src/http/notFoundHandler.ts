// notFoundHandler: answers requests no route took. The catalog is read-only,
// so a path that exists for GET answers 405 to other methods (and OPTIONS
// with the methods it allows); anything else is 404.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errorEnvelope.js';

const ALLOW = 'GET, HEAD, OPTIONS';

export function notFoundHandler(app: FastifyInstance) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const path = request.url.split('?', 1)[0] ?? '/';
    const readable = app.findRoute({ method: 'GET', url: path }) !== null;
    if (readable && request.method === 'OPTIONS') {
      return reply.code(204).header('allow', ALLOW).send();
    }
    if (readable || !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      return reply.code(405).header('allow', ALLOW).send(errorBody(request.url, { code: 'METHOD_NOT_ALLOWED', message: 'Method not allowed' }));
    }
    return reply.code(404).send(errorBody(request.url, { code: 'NOT_FOUND', message: 'Not found' }));
  };
}
