// aurErrorHandler: errors under the AUR RPC routes answer in the AUR's own
// envelope (`{"error","resultcount":0,"results":[],"type":"error","version"}`),
// not the service's: schema failures, bodies that do not parse, the 503
// before the first index. 5xx answers never show internals.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/httpError.js';
import { aurErrorEnvelope, AurRpcError } from './aurErrors.js';
import { versionOf } from './aurQuery.js';

export function aurErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const version = error instanceof AurRpcError ? error.version : requestVersion(request);
  const send = (status: number, message: string): FastifyReply =>
    reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(aurErrorEnvelope(version, message)));
  if (error instanceof AurRpcError) return send(error.statusCode, error.message);
  if (error instanceof HttpError) {
    reply.headers(error.headers);
    return send(error.statusCode, error.message);
  }
  if (error.validation !== undefined) return send(400, `Invalid request: ${error.message}`);
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status < 500) return send(status, error.message);
  request.log.error({ err: error }, 'request failed');
  return send(500, 'Internal server error');
}

/** The version the client asked for, when it is readable (path `v5` or query `v=5`). */
function requestVersion(request: FastifyRequest): number | null {
  const params = request.params as Record<string, unknown> | undefined;
  const query = request.query as Record<string, unknown> | undefined;
  const raw = params?.version ?? query?.v;
  return typeof raw === 'string' && /^-?[0-9]{1,9}$/.test(raw) ? versionOf(raw) : null;
}
