// errorHandler: the one place errors become HTTP answers. Every error body is
// `{error, code}`; 5xx answers never show internals.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './httpError.js';

// Which invalid route parameter means what, so bad ids answer as the previous service did.
const INVALID_PARAM: Readonly<Record<string, { code: string; message: string }>> = {
  id: { code: 'INVALID_WORKER_ID', message: 'Invalid worker ID' },
};

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof HttpError) {
    return reply.code(error.statusCode).headers(error.headers).send({ error: error.message, code: error.code });
  }
  if (error.validation !== undefined) {
    const param = error.validationContext === 'params' ? firstParam(error) : undefined;
    const known = param === undefined ? undefined : INVALID_PARAM[param];
    if (known !== undefined) {
      return reply.code(400).send({ error: known.message, code: known.code, detail: `the ${param} must match ^[a-z0-9][a-z0-9.+_-]*$ and be at most 100 characters` });
    }
    return reply.code(400).send({ error: `Invalid request: ${error.message}`, code: 'INVALID_REQUEST' });
  }
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status < 500) {
    return reply.code(status).send({ error: error.message, code: error.code ?? 'BAD_REQUEST' });
  }
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send({ error: 'Internal server error', code: 'INTERNAL' });
}

function firstParam(error: FastifyError): string | undefined {
  const path = error.validation?.[0]?.instancePath ?? '';
  return path.startsWith('/') ? path.slice(1).split('/')[0] : undefined;
}
