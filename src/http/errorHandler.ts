// errorHandler: the one place errors become HTTP answers, in the envelope the
// path's API uses (errorEnvelope.ts); 5xx answers never show internals.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, type ErrorAnswer } from './errorEnvelope.js';
import { HttpError } from './httpError.js';

// Which invalid route parameter means what, so bad ids answer as the previous service did.
const INVALID_PARAM: Readonly<Record<string, { code: string; message: string }>> = {
  id: { code: 'INVALID_WORKER_ID', message: 'Invalid worker ID' },
};

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const send = (status: number, answer: ErrorAnswer): FastifyReply => reply.code(status).send(errorBody(request.url, answer));
  if (error instanceof HttpError) {
    reply.headers(error.headers);
    return send(error.statusCode, { code: error.code, message: error.message, ...(error.detail === undefined ? {} : { detail: error.detail }) });
  }
  if (error.validation !== undefined) {
    const param = error.validationContext === 'params' ? firstParam(error) : undefined;
    const known = param === undefined ? undefined : INVALID_PARAM[param];
    if (known !== undefined) {
      return send(400, { ...known, detail: `the ${param} must match ^[a-z0-9][a-z0-9.+_-]*$ and be at most 100 characters` });
    }
    const code = error.validationContext === 'querystring' ? 'INVALID_QUERY' : error.validationContext === 'body' ? 'INVALID_BODY' : 'INVALID_REQUEST';
    return send(400, { code, message: `Invalid request: ${error.message}` });
  }
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status < 500) return send(status, { code: error.code ?? 'BAD_REQUEST', message: error.message });
  request.log.error({ err: error }, 'request failed');
  return send(500, { code: 'INTERNAL', message: 'Internal server error' });
}

function firstParam(error: FastifyError): string | undefined {
  const path = error.validation?.[0]?.instancePath ?? '';
  return path.startsWith('/') ? path.slice(1).split('/')[0] : undefined;
}
