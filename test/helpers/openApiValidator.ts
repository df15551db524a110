// Checks real answers against the schemas /openapi.json documents for them,
// so a route's documented shape and what it sends cannot drift apart (Buffers
// are sent as they are; nothing else would notice).

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

export type AnswerValidator = (route: string, status: number, body: unknown) => string[];

/** Validates a JSON body against the documented `application/json` schema of GET `route` (OpenAPI path form) and `status`. */
export async function openApiValidator(app: FastifyInstance): Promise<AnswerValidator> {
  const document = (await app.inject('/openapi.json')).json() as object;
  // The document is not itself a schema: strict off, so its other keywords are ignored.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document, 'openapi');
  return (route, status, body) => {
    const pointer = ['paths', route, 'get', 'responses', String(status), 'content', 'application/json', 'schema']
      .map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
    const validate = ajv.compile({ $ref: `openapi#/${pointer}` });
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
  };
}
