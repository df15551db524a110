// Whole-catalog files and the change feed:
//   GET /v1/catalog.json                → {"version":"1.0","workers":[{id, branch, variant, description, arch, git_url, pkgbuild_url}]}
//   GET /v1/index.json.gz               → gzip of {"workers":[…v1 entries…],"total","snapshot","cursor"}
//   GET /v1/index.json.gz.sha256        → `<hex>  index.json.gz\n` (sha256sum's format)
//   GET /v1/changes?since=CURSOR&limit= → {events:[{type, id, version, commit, at}], cursor, more}

import type { FastifyInstance } from 'fastify';
import { catalogJson } from '../catalog/catalogJson.js';
import type { CachedBody } from '../catalog/cachedBody.js';
import type { ChangeLog } from '../catalog/changeLog.js';
import { indexDump, type IndexDump } from '../catalog/indexDump.js';
import type { CatalogSnapshot } from '../catalog/snapshot.js';
import { checksumHeaders } from '../http/checksumHeaders.js';
import { v1ErrorResponses } from '../http/errorEnvelope.js';
import { HttpError } from '../http/httpError.js';
import { sendCached } from '../http/sendCached.js';

export const CHANGES_DEFAULT_LIMIT = 1000;
export const CHANGES_MAX_LIMIT = 10_000;

const catalogJsonSchema = {
  type: 'object',
  required: ['version', 'workers'],
  properties: {
    version: { type: 'string', const: '1.0' },
    workers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'branch', 'variant', 'description', 'arch', 'git_url', 'pkgbuild_url'],
        properties: {
          id: { type: 'string' },
          branch: { type: 'string' },
          variant: { type: 'string', description: 'metadata.json worker_type: cpu, cuda, metal or rocm.' },
          description: { type: 'string' },
          arch: { type: 'array', items: { type: 'string' }, description: 'The .SRCINFO arch list.' },
          git_url: { type: 'string' },
          pkgbuild_url: { type: 'string', description: 'A path on this service (/v1/workers/<id>/PKGBUILD): the last PKGBUILD that validated.' },
        },
      },
    },
  },
} as const;

const changesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // The shape is checked by the log itself, so a malformed cursor answers INVALID_CURSOR.
    since: { type: 'string', minLength: 1, maxLength: 64, description: 'A cursor from /v1/changes or /v1/index.json.gz; absent → no events and the current cursor.' },
    limit: { type: 'integer', minimum: 1, maximum: CHANGES_MAX_LIMIT, default: CHANGES_DEFAULT_LIMIT },
  },
} as const;

const changesSchema = {
  type: 'object',
  required: ['events', 'cursor', 'more'],
  properties: {
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'id', 'version', 'commit', 'at'],
        properties: {
          type: { type: 'string', enum: ['added', 'updated', 'removed'] },
          id: { type: 'string' },
          version: { type: 'string', description: 'After the change; for removed, the last version served.' },
          commit: { type: 'string' },
          at: { type: 'string', format: 'date-time' },
        },
      },
    },
    cursor: { type: 'string', description: 'Opaque: pass it as `since` next time.' },
    more: { type: 'boolean', description: 'True when more events follow the cursor right now.' },
  },
} as const;

const cursorExpired = (): HttpError => new HttpError(410, 'CURSOR_EXPIRED',
  'This cursor is older than the retained change log or comes from another server instance: download /v1/index.json.gz again and continue from its cursor');

export async function catalogFileRoutes(app: FastifyInstance): Promise<void> {
  const { catalog } = app;
  const dumpOf = (snapshot: CatalogSnapshot): Promise<IndexDump> => {
    const cursor = catalog.store.changes.cursorOf(snapshot);
    // Every snapshot served came through store.swap, which records its cursor.
    if (cursor === undefined) throw new Error('the served snapshot has no change-log cursor');
    return indexDump(snapshot, cursor);
  };

  app.get('/v1/catalog.json', {
    schema: { response: { 200: catalogJsonSchema, ...v1ErrorResponses } },
  }, async (request, reply) => sendCached(request, reply, catalogJson(catalog.snapshot()), catalog.cacheMaxAgeSeconds));

  app.get('/v1/index.json.gz', {
    schema: { response: { 200: { description: 'gzip of {"workers":[…],"total","snapshot","cursor"}', content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } } }, ...v1ErrorResponses } },
  }, async (request, reply) => {
    const dump = await dumpOf(catalog.snapshot());
    reply.headers(checksumHeaders(Buffer.from(dump.sha256, 'hex')));
    return sendCached(request, reply, dump.gz, catalog.cacheMaxAgeSeconds);
  });

  app.get('/v1/index.json.gz.sha256', {
    schema: { response: { 200: { description: 'sha256sum format', content: { 'text/plain': { schema: { type: 'string', pattern: '^[0-9a-f]{64}  index\\.json\\.gz\\n$' } } } }, ...v1ErrorResponses } },
  }, async (request, reply) => sendCached(request, reply, (await dumpOf(catalog.snapshot())).checksum, catalog.cacheMaxAgeSeconds));

  app.get<{ Querystring: { since?: string; limit: number } }>('/v1/changes', {
    schema: {
      querystring: changesQuery,
      response: { 200: changesSchema, ...v1ErrorResponses, 410: { description: 'The cursor can no longer be answered', $ref: 'V1Error#' } },
    },
  }, async (request, reply) => {
    // The feed answers from the log, but only once the catalog has been indexed (503 before).
    catalog.snapshot();
    const { since, limit } = request.query;
    // It changes with every swap: caches must revalidate, which the ETag makes cheap.
    return sendCached(request, reply, changesPage(catalog.store.changes, since, limit), 0);
  });
}

/** One page of the feed; its ETag names the page (epoch, start, end), so a 304 costs no serialising. */
function changesPage(changes: ChangeLog, since: string | undefined, limit: number): CachedBody {
  const head = changes.head();
  const page = since === undefined ? changes.since(head, 1) : changes.since(since, limit);
  if (page.kind === 'invalid') throw new HttpError(400, 'INVALID_CURSOR', 'The since parameter is not a cursor this service hands out');
  if (page.kind === 'expired') throw cursorExpired();
  const from = since ?? head;
  let body: Buffer | undefined;
  return {
    get body(): Buffer {
      body ??= Buffer.from(`{"events":[${page.json.join(',')}],"cursor":${JSON.stringify(page.cursor)},"more":${page.more}}`);
      return body;
    },
    etag: `"${from}-${page.cursor}${page.more ? '+' : ''}"`,
    contentType: 'application/json; charset=utf-8',
  };
}
