// The AUR RPC v5, so AUR tooling (yay, paru, aurutils, …) can read the catalog:
//   GET  /rpc, /rpc/        ?v=5&type=info|multiinfo|search|msearch|suggest|suggest-pkgbase&arg=…&arg[]=…&by=…&callback=…
//   POST /rpc, /rpc/        the same fields, form-encoded or JSON
//   GET  /rpc/v5/info/:name, /rpc/v5/info?arg[]=…, POST /rpc/v5/info {"arg":[…]} (or a form)
//   GET  /rpc/v5/search/:arg?by=…, /rpc/v5/search?arg=…&by=…, POST /rpc/v5/search {"arg","by"}
//   GET  /rpc/v5/suggest/:arg, /rpc/v5/suggest-pkgbase/:arg
// Answers and errors use the AUR's envelope and status codes (src/aur/).
// An encapsulated plugin: its error handler and form parser apply here only.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answerAur, type AurRequest } from '../aur/aurAnswer.js';
import { aurBody } from '../aur/aurBody.js';
import { aurCatalogOf } from '../aur/aurCatalog.js';
import { AUR_ERRORS, aurErrorEnvelope, AurRpcError } from '../aur/aurErrors.js';
import { aurErrorHandler } from '../aur/aurErrorHandler.js';
import { AUR_MAX_RESULTS, JSONP_CALLBACK, legacyArgs, rawQueryOf, versionOf } from '../aur/aurQuery.js';
import {
  anyResponse, argParams, byQuery, envelopeResponse, infoBody, infoQuery, legacyFields, nameParams, searchBody, searchQuery,
  suggestResponse, versionParams,
} from '../aur/aurSchemas.js';
import { sendCached } from '../http/sendCached.js';

export interface AurRpcOptions {
  /** aurweb's max_rpc_results: more matches answer "Too many package results.". */
  readonly maxResults?: number;
}

interface LegacyFields {
  readonly v?: string;
  readonly type?: string;
  readonly by?: string;
  readonly arg?: string | string[];
  readonly 'arg[]'?: string[];
  readonly callback?: string;
}

const FORM_BODY_LIMIT = 256 * 1024;

export async function aurRpcRoutes(app: FastifyInstance, options: AurRpcOptions = {}): Promise<void> {
  const { catalog } = app;
  const maxResults = options.maxResults ?? AUR_MAX_RESULTS;
  app.setErrorHandler(aurErrorHandler);
  // aurweb reads POST /rpc as a form; Fastify parses only JSON and text by itself.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
    done(null, formFields(body as string));
  });

  const answer = (request: FastifyRequest, reply: FastifyReply, aur: AurRequest, callback?: string): Promise<void> | undefined => {
    const snapshot = catalog.snapshot();
    // aurweb checks the callback before anything else and answers a bad one in JSON.
    if (callback !== undefined && callback !== '' && !JSONP_CALLBACK.test(callback)) {
      const failed = { json: JSON.stringify(aurErrorEnvelope(aur.version, AUR_ERRORS.invalidCallback)), key: `callback\0${aur.version}` };
      return sendCached(request, reply, aurBody(snapshot, failed), catalog.cacheMaxAgeSeconds);
    }
    const body = aurBody(snapshot, answerAur(aurCatalogOf(snapshot), aur, maxResults), callback === '' ? undefined : callback);
    return sendCached(request, reply, body, catalog.cacheMaxAgeSeconds);
  };
  const legacy = (request: FastifyRequest, reply: FastifyReply, fields: LegacyFields, args: readonly string[]) =>
    answer(request, reply, { version: versionOf(fields.v), type: fields.type, by: fields.by, args }, fields.callback);

  for (const url of ['/rpc', '/rpc/']) {
    app.get<{ Querystring: LegacyFields }>(url, { schema: { querystring: legacyFields, response: anyResponse } }, async (request, reply) =>
      legacy(request, reply, request.query, legacyArgs(rawQueryOf(request.url))));
    app.post<{ Body: LegacyFields }>(url, { schema: { body: legacyFields, response: anyResponse } }, async (request, reply) => {
      const fields = request.body ?? {};
      const query = rawQueryOf(request.url);
      // aurweb: arguments in the URL win over the body's; a body's empty `arg` is no argument.
      const arg = typeof fields.arg === 'string' ? fields.arg : fields.arg?.at(-1);
      const args = query !== '' ? legacyArgs(query) : [...(arg === undefined || arg === '' ? [] : [arg]), ...(fields['arg[]'] ?? [])];
      return legacy(request, reply, fields, args);
    });
  }

  type Version = { version: string };
  const version = (request: FastifyRequest): number => versionOf((request.params as Version).version) ?? 0;

  app.get<{ Params: Version & { name: string } }>('/rpc/v:version/info/:name', { schema: { params: nameParams, response: envelopeResponse } }, async (request, reply) =>
    answer(request, reply, { version: version(request), type: 'info', by: undefined, args: [request.params.name] }));
  app.get<{ Params: Version }>('/rpc/v:version/info', { schema: { params: versionParams, querystring: infoQuery, response: envelopeResponse } }, async (request, reply) =>
    answer(request, reply, { version: version(request), type: 'info', by: undefined, args: legacyArgs(rawQueryOf(request.url)) }));
  app.post<{ Params: Version; Body: { arg?: string[]; 'arg[]'?: string[] } }>('/rpc/v:version/info', {
    schema: { params: versionParams, body: infoBody, response: envelopeResponse },
    // Before validation, whose array coercion would turn a JSON "x" into ["x"]: aurweb answers 400 for a JSON `arg` that is
    // not a list. A form's single `arg` is one name.
    preValidation: async (request) => {
      const arg = (request.body as { arg?: unknown } | undefined)?.arg;
      if (arg !== undefined && !Array.isArray(arg) && !isForm(request)) throw new AurRpcError(400, AUR_ERRORS.argMustBeArray, version(request));
    },
  }, async (request, reply) => {
    const body = request.body ?? {};
    return answer(request, reply, { version: version(request), type: 'info', by: undefined, args: [...(body.arg ?? []), ...(body['arg[]'] ?? [])] });
  });

  app.get<{ Params: Version & { arg: string }; Querystring: { by?: string } }>('/rpc/v:version/search/:arg', {
    schema: { params: argParams, querystring: byQuery, response: envelopeResponse },
  }, async (request, reply) => answer(request, reply, { version: version(request), type: 'search', by: request.query.by, args: [request.params.arg] }));
  app.get<{ Params: Version; Querystring: { by?: string } }>('/rpc/v:version/search', {
    schema: { params: versionParams, querystring: searchQuery, response: envelopeResponse },
  }, async (request, reply) => answer(request, reply, { version: version(request), type: 'search', by: request.query.by, args: legacyArgs(rawQueryOf(request.url)) }));
  app.post<{ Params: Version; Body: { arg?: string; by?: string } }>('/rpc/v:version/search', {
    schema: { params: versionParams, body: searchBody, response: envelopeResponse },
    // aurweb answers 400 for a JSON `by` or `arg` that is not a string; validation would coerce a number into one.
    preValidation: async (request) => {
      const body = request.body as { arg?: unknown; by?: unknown } | undefined;
      if (body?.by !== undefined && typeof body.by !== 'string') throw new AurRpcError(400, AUR_ERRORS.byMustBeString, version(request));
      if (body?.arg !== undefined && typeof body.arg !== 'string') throw new AurRpcError(400, AUR_ERRORS.argMustBeString, version(request));
    },
  }, async (request, reply) => {
    const body = request.body ?? {};
    return answer(request, reply, { version: version(request), type: 'search', by: body.by, args: body.arg === undefined || body.arg === '' ? [] : [body.arg] });
  });

  for (const type of ['suggest', 'suggest-pkgbase']) {
    app.get<{ Params: Version & { arg: string } }>(`/rpc/v:version/${type}/:arg`, { schema: { params: argParams, response: suggestResponse } }, async (request, reply) =>
      answer(request, reply, { version: version(request), type, by: undefined, args: [request.params.arg] }));
  }
}

function listOf(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** A form body as fields: one value as a string, a repeated key as a list. */
function formFields(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of new URLSearchParams(body)) {
    const previous = fields[key];
    fields[key] = previous === undefined ? value : [...listOf(previous), value];
  }
  return fields;
}
