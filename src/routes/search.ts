// Finding workers:
//   GET  /v1/workers        search (q), filters, sort, keyset pagination, facets
//   POST /v1/workers/info   many workers by id at once (≤ 500), and the ids not found
//   GET  /v1/suggest?q=     up to 20 ids starting with a prefix
//   GET  /v1/tags           every tag with the number of workers carrying it
// Answers are pure functions of the snapshot and the normalised query, so
// their ETags are too: a revalidation costs a hash of the query, not a search.

import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { jsonBody, jsonListChunks, type CachedBody } from '../catalog/cachedBody.js';
import { metadataVocabulary } from '../catalog/metadataVocabulary.js';
import { BoundedCache } from '../catalog/boundedCache.js';
import { perSnapshot } from '../catalog/perSnapshot.js';
import { decodeCursor, encodeCursor, type SortField, type SortOrder } from '../catalog/searchCursor.js';
import { compareIds, searchIndexOf } from '../catalog/searchIndex.js';
import { searchWorkers, type WorkerQuery } from '../catalog/searchWorkers.js';
import { servedAnswerDigest } from '../catalog/servedContentTag.js';
import type { CatalogSnapshot } from '../catalog/snapshot.js';
import { WORKER_ID_MAX_LENGTH } from '../catalog/workerId.js';
import { v1ErrorResponses } from '../http/errorEnvelope.js';
import { HttpError, invalidQuery } from '../http/httpError.js';
import { sendCached } from '../http/sendCached.js';
import { KnownQueries } from './knownQueries.js';
import { workerIdParams } from './workerIdParams.js';

const MAX_LIMIT = 500;
const MAX_SUGGESTIONS = 20;
const MAX_TERMS = 16;
const JSON_TYPE = 'application/json; charset=utf-8';

const vocabulary = metadataVocabulary();
const list = (items: object, maxItems: number, description: string) => ({ type: 'array', items, maxItems, description }) as const;
const packageName = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9@._+-]+$' } as const;
const flag = { type: 'string', enum: ['0', '1', 'true', 'false'] } as const;

const searchQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: { type: 'string', maxLength: 200, description: 'Words that must all occur in the id, name, description, tags or keywords (case-insensitive).' },
    platform: list({ enum: vocabulary.platforms }, 3, 'Repeatable; any of them.'),
    arch: list({ enum: vocabulary.architectures }, 2, 'Repeatable; any of them.'),
    backend: list({ enum: vocabulary.backends }, 8, 'Repeatable; any of them.'),
    license: list({ type: 'string', minLength: 1, maxLength: 255 }, 8, 'Repeatable; any of them (case-insensitive).'),
    tag: list({ type: 'string', minLength: 1, maxLength: 50 }, 16, 'Repeatable; the worker must carry all of them.'),
    requires_license: flag,
    maintainer: { type: 'string', minLength: 1, maxLength: 255, description: 'Part of a maintainer entry, case-insensitive.' },
    depends: { ...packageName, description: 'A dependency name of any architecture.' },
    provides: { ...packageName, description: 'A name the worker provides (its own package names included).' },
    sort: { enum: ['name', 'updated', 'relevance'], description: 'Default: relevance with q, else name.' },
    order: { enum: ['asc', 'desc'], description: 'Default: asc for name, desc for updated and relevance.' },
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 },
    cursor: { type: 'string', maxLength: 1024, pattern: '^[A-Za-z0-9_-]+$', description: 'The nextCursor of the previous page.' },
    facets: { ...flag, description: '1: add counts per platform, arch, backend, license and tag over every match.' },
  },
} as const;

interface SearchQuerystring {
  q?: string;
  platform?: string[];
  arch?: string[];
  backend?: string[];
  license?: string[];
  tag?: string[];
  requires_license?: string;
  maintainer?: string;
  depends?: string;
  provides?: string;
  sort?: SortField;
  order?: SortOrder;
  limit: number;
  cursor?: string;
  facets?: string;
}

const facetList = { type: 'array', items: { type: 'object', required: ['value', 'count'], properties: { value: { type: 'string' }, count: { type: 'integer' } } } } as const;
const searchResponse = {
  description: 'One page of the matching workers, with the total and, when asked, facet counts',
  type: 'object',
  required: ['workers', 'total', 'limit', 'nextCursor'],
  properties: {
    workers: { type: 'array', items: { $ref: 'V1Worker#' } },
    total: { type: 'integer', description: 'Every match, across all pages.' },
    limit: { type: 'integer' },
    nextCursor: { type: ['string', 'null'], description: 'Pass as cursor for the next page; null on the last page.' },
    facets: {
      type: 'object',
      properties: { platform: facetList, arch: facetList, backend: facetList, license: facetList, tag: facetList },
    },
  },
} as const;


// Each tag's count is the length of its posting list, which the index already holds.
const tagsOf = perSnapshot((snapshot: CatalogSnapshot): CachedBody => {
  const { facets, changedAt } = searchIndexOf(snapshot);
  const tags = facets.values.flatMap(({ facet, value }, code) => (facet === 'tag' ? [{ tag: value, count: facets.postings[code]!.length }] : []))
    .sort((a, b) => b.count - a.count || compareIds(a.tag, b.tag));
  return jsonBody({ tags, total: tags.length }, changedAt);
});

export interface SearchRouteOptions {
  /** How many search answers each index keeps, by query (0: none). Default 256. */
  readonly answerCacheEntries?: number | undefined;
}

/** At most this many bytes of kept answers per index: 256 pages of 50 entries fit many times over. */
const ANSWER_CACHE_BYTES = 32 * 1024 * 1024;
/** Raw query strings whose parsed query and ETag each index keeps, bounded in count and in characters. */
const KNOWN_QUERY_ENTRIES = 1024;
const KNOWN_QUERY_CHARACTERS = 1024 * 1024;

interface KnownQuery {
  readonly query: WorkerQuery;
  readonly etag: string;
}

export async function searchRoutes(app: FastifyInstance, options: SearchRouteOptions): Promise<void> {
  const { catalog } = app;
  const answerCacheEntries = options.answerCacheEntries ?? 256;
  // Answers are pure functions of the index and the query, so each index keeps the
  // popular ones — the first page of a listing above all — as prebuilt bodies,
  // compressed at most once per encoding like every other prebuilt body.
  const answersOf = perSnapshot(() => answerCacheEntries === 0 ? undefined : new BoundedCache<string, CachedBody>({
    maxEntries: answerCacheEntries,
    maxWeight: ANSWER_CACHE_BYTES,
    weigh: (answer) => answer.body.byteLength,
  }));

  // The validated query is a pure function of the raw query string, and so is its ETag within one
  // index: a listing asked for again (a revalidation above all) skips the canonical form and its hash.
  // Only queries that passed every check are kept, so a bad one still fails each time.
  const knownQueriesOf = perSnapshot(() => new KnownQueries<KnownQuery>({ maxEntries: KNOWN_QUERY_ENTRIES, maxCharacters: KNOWN_QUERY_CHARACTERS }));

  // Not async: a kept answer goes out synchronously, and an async handler's promise would cost each request a turn.
  app.get<{ Querystring: SearchQuerystring }>('/v1/workers', {
    schema: { querystring: searchQuery, response: { 200: searchResponse, ...v1ErrorResponses } },
  }, (request, reply) => {
    const snapshot = catalog.snapshot();
    const knownQueries = knownQueriesOf(snapshot);
    const rawQuery = rawQueryOf(request.url);
    let known = knownQueries.get(rawQuery);
    if (known === undefined) {
      known = { query: workerQuery(request.query), etag: queryEtag(snapshot, 'search', request.query) };
      knownQueries.set(rawQuery, known);
    }
    const { query, etag } = known;
    const answers = answersOf(snapshot);
    const kept = answers?.get(etag);
    if (kept !== undefined) return sendCached(request, reply, kept, catalog.cacheMaxAgeSeconds);
    const index = searchIndexOf(snapshot);
    let answer: CachedBody | undefined;
    const search = (): CachedBody => {
      if (answer !== undefined) return answer;
      const result = searchWorkers(index, query);
      const extra: Record<string, unknown> = { total: result.total, limit: query.limit, nextCursor: result.next === undefined ? null : encodeCursor(result.next) };
      if (result.facets !== undefined) extra.facets = result.facets;
      const body = Buffer.concat(jsonListChunks('workers', result.page.map((document) => document.served.v1), extra));
      answer = { etag, contentType: JSON_TYPE, lastModified: index.changedAt, body };
      answers?.set(etag, answer);
      return answer;
    };
    // The search runs only when the body is needed: a revalidation answers 304 without it.
    return sendCached(request, reply, {
      etag,
      contentType: JSON_TYPE,
      lastModified: index.changedAt,
      get body() {
        return search().body;
      },
    }, catalog.cacheMaxAgeSeconds);
  });

  app.post<{ Body: { ids: string[] } }>('/v1/workers/info', {
    schema: {
      body: {
        type: 'object',
        required: ['ids'],
        additionalProperties: false,
        properties: { ids: { type: 'array', items: workerIdParams.properties.id, minItems: 1, maxItems: MAX_LIMIT } },
      },
      response: {
        200: {
          description: 'The entries found, in request order, and the ids not found',
          type: 'object',
          required: ['workers', 'notFound'],
          properties: { workers: { type: 'array', items: { $ref: 'V1Worker#' } }, notFound: { type: 'array', items: { type: 'string' } } },
        },
        ...v1ErrorResponses,
      },
    },
  }, async (request, reply) => {
    const { workers } = catalog.snapshot();
    const ids = [...new Set(request.body.ids)];
    const found = ids.flatMap((id) => {
      const served = workers.get(id);
      return served === undefined ? [] : [served.v1];
    });
    const notFound = ids.filter((id) => !workers.has(id));
    const chunks = jsonListChunks('workers', found, { notFound });
    // A POST answer is not cached by anyone; it is still sent from the prebuilt entries, uncopied.
    reply.header('cache-control', 'no-store').header('content-length', chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
    return reply.type(JSON_TYPE).send(Readable.from(chunks));
  });

  app.get<{ Querystring: { q: string; limit: number } }>('/v1/suggest', {
    schema: {
      querystring: {
        type: 'object',
        required: ['q'],
        additionalProperties: false,
        properties: {
          q: { type: 'string', minLength: 1, maxLength: WORKER_ID_MAX_LENGTH, description: 'The start of a worker id (case-insensitive).' },
          limit: { type: 'integer', minimum: 1, maximum: MAX_SUGGESTIONS, default: MAX_SUGGESTIONS },
        },
      },
      response: { 200: { description: 'Worker ids starting with q, in order', type: 'object', required: ['ids'], properties: { ids: { type: 'array', items: { type: 'string' } } } }, ...v1ErrorResponses },
    },
  }, async (request, reply) => {
    const snapshot = catalog.snapshot();
    const prefix = request.query.q.toLowerCase();
    const { ids, changedAt } = searchIndexOf(snapshot);
    const suggestions: string[] = [];
    for (let at = lowerBound(ids, prefix); at < ids.length && suggestions.length < request.query.limit && ids[at]!.startsWith(prefix); at += 1) {
      suggestions.push(ids[at]!);
    }
    // The ETag comes from the snapshot and the query, so the body is not hashed as well.
    const body = Buffer.from(JSON.stringify({ ids: suggestions }));
    return sendCached(request, reply, { body, etag: queryEtag(snapshot, 'suggest', request.query), contentType: JSON_TYPE, lastModified: changedAt }, catalog.cacheMaxAgeSeconds);
  });

  app.get('/v1/tags', {
    schema: {
      response: {
        200: {
          description: 'Every tag with the number of workers carrying it, most used first',
          type: 'object',
          required: ['tags', 'total'],
          properties: {
            tags: { type: 'array', items: { type: 'object', required: ['tag', 'count'], properties: { tag: { type: 'string' }, count: { type: 'integer' } } } },
            total: { type: 'integer' },
          },
        },
        ...v1ErrorResponses,
      },
    },
  }, async (request, reply) => sendCached(request, reply, tagsOf(catalog.snapshot()), catalog.cacheMaxAgeSeconds));
}

function workerQuery(query: SearchQuerystring): WorkerQuery {
  const terms = (query.q ?? '').toLowerCase().split(/\s+/).filter((term) => term !== '');
  if (terms.length > MAX_TERMS) throw invalidQuery(`q has more than ${MAX_TERMS} words`);
  const sort: SortField = query.sort ?? (terms.length > 0 ? 'relevance' : 'name');
  if (sort === 'relevance' && terms.length === 0) throw invalidQuery('sort=relevance needs q: relevance is how well a worker matches its words');
  const order: SortOrder = query.order ?? (sort === 'name' ? 'asc' : 'desc');
  let after;
  if (query.cursor !== undefined) {
    const decoded = decodeCursor(query.cursor, sort, order);
    if ('invalid' in decoded) throw new HttpError(400, 'INVALID_CURSOR', 'Invalid cursor: pass back the nextCursor of the previous page unchanged', { detail: decoded.invalid });
    after = decoded.cursor;
  }
  return {
    terms,
    platforms: query.platform ?? [],
    architectures: query.arch ?? [],
    backends: query.backend ?? [],
    licenses: query.license ?? [],
    tags: (query.tag ?? []).map((tag) => tag.toLowerCase()),
    requiresLicense: query.requires_license === undefined ? undefined : isOn(query.requires_license),
    maintainer: query.maintainer?.toLowerCase(),
    depends: query.depends?.toLowerCase(),
    provides: query.provides?.toLowerCase(),
    sort,
    order,
    limit: query.limit,
    after,
    facets: query.facets !== undefined && isOn(query.facets),
  };
}

function isOn(value: string): boolean {
  return value === '1' || value === 'true';
}

/** A strong validator from what is served and the query as the schema left it (defaults applied, unknown keys removed, keys sorted). */
function queryEtag(snapshot: CatalogSnapshot, route: 'search' | 'suggest', query: object): string {
  const canonical = JSON.stringify(Object.entries(query).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `"${servedAnswerDigest(snapshot, route, canonical)}"`;
}

/** What follows the `?` of a request URL, as the client sent it. */
function rawQueryOf(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at + 1);
}

/** The first index whose id is not below `prefix`. */
function lowerBound(sorted: readonly string[], prefix: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < prefix) low = middle + 1;
    else high = middle;
  }
  return low;
}
