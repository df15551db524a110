// resolveAnswer: the bytes GET /v1/resolve sends for one normalised request —
// 200 with the chosen worker's v1 entry, or 404 NO_MATCHING_WORKER with every
// candidate's reasons — kept per snapshot, at most MAX_ANSWERS of them (the
// least recently asked for go first).
//
// An answer is a pure function of what the snapshot serves and the request,
// so its ETag is a digest of servedContentTag (every served entry's own ETag:
// not the snapshot id, which names branch tips only, while equal tips can
// serve different workers) and the normalised request; the body is never
// hashed. No Last-Modified: a
// candidate's branch being deleted changes the answer without any newer
// commit, so a date would validate a stale answer.

import { BoundedCache } from './boundedCache.js';
import type { CachedBody } from './cachedBody.js';
import { perSnapshot } from './perSnapshot.js';
import { defaultBackendOrder, resolveWorker, type Resolution, type ResolveRequest } from './resolveWorker.js';
import { servedAnswerDigest } from './servedContentTag.js';
import type { CatalogSnapshot } from './snapshot.js';

export type ResolveAnswer =
  | { readonly status: 200; readonly body: CachedBody }
  | { readonly status: 404; readonly code: 'WORKER_NOT_FOUND' }
  | { readonly status: 404; readonly code: 'NO_MATCHING_WORKER'; readonly body: Buffer };

/** The request as answered: defaults applied, accel de-duplicated. */
export interface NormalisedQuery {
  readonly worker: string;
  readonly platform: string;
  readonly arch: string;
  readonly accel: readonly string[];
  readonly free: boolean;
}

const MAX_ANSWERS = 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

const answersOf = perSnapshot((_snapshot: CatalogSnapshot) => new BoundedCache<string, ResolveAnswer>({ maxEntries: MAX_ANSWERS }));

export function resolveAnswer(snapshot: CatalogSnapshot, request: ResolveRequest): ResolveAnswer {
  const accel = request.accel === undefined ? defaultBackendOrder() : [...new Set(request.accel)];
  const query: NormalisedQuery = { worker: request.worker, platform: request.platform, arch: request.arch, accel, free: request.free === true };
  // Equivalent requests (accel absent or spelled out, repeated backends) share one answer.
  const key = JSON.stringify(query);
  const answers = answersOf(snapshot);
  const known = answers.get(key);
  if (known !== undefined) return known;
  const answer = buildAnswer(snapshot, query, key, resolveWorker(snapshot, query));
  answers.set(key, answer);
  return answer;
}

function buildAnswer(snapshot: CatalogSnapshot, query: NormalisedQuery, key: string, resolution: Resolution): ResolveAnswer {
  const { chosen, reason } = resolution;
  if (resolution.candidates.length === 0) return { status: 404, code: 'WORKER_NOT_FOUND' };
  const { candidates } = resolution;
  if (chosen === undefined) {
    const body = { error: { code: 'NO_MATCHING_WORKER', message: `No variant of ${query.worker} fits this host`, detail: reason }, query, candidates };
    return { status: 404, code: 'NO_MATCHING_WORKER', body: Buffer.from(JSON.stringify(body)) };
  }
  const { record, v1 } = chosen;
  // The entry is spliced in as the bytes the snapshot already holds: never re-serialised.
  const head = `${JSON.stringify({ worker: record.id, version: record.version, workerType: record.metadata.worker_type }).slice(0, -1)},"entry":`;
  const tail = `,${JSON.stringify({ reason, query, candidates }).slice(1)}`;
  const body = Buffer.concat([Buffer.from(head), v1.body, Buffer.from(tail)]);
  return { status: 200, body: { body, etag: `"${servedAnswerDigest(snapshot, 'resolve', key)}"`, contentType: JSON_TYPE } };
}
