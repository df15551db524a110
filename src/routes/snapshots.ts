// Snapshot tarballs, like the AUR's snapshot URL:
//   GET /v1/workers/:id/snapshot.tar.gz                    → the served commit's tree
//   GET /v1/workers/:id/versions/:version/snapshot.tar.gz  → the tree of that version's commit
// A reproducible .tar.gz (see snapshotTarball) sent as the file it is — never
// re-encoded — with its sha256 (X-Checksum-Sha256, Repr-Digest per RFC 9530),
// a strong ETag naming the commit and Last-Modified = the commit time.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isHistoryFailure, type SnapshotArchive, type WorkerHistory } from '../catalog/workerHistory.js';
import { v1ErrorResponses } from '../http/errorEnvelope.js';
import { matchesIfNoneMatch } from '../http/sendCached.js';
import { failureError, historyErrorResponses, requireHistory, servedWorker, workerVersion, workerVersionParams, type WorkerVersionParams } from './versionLookup.js';
import { workerIdParams, type WorkerIdParams } from './workerIdParams.js';

export interface SnapshotRoutesOptions {
  /** Absent → every route here answers 503 HISTORY_UNAVAILABLE. */
  readonly history?: WorkerHistory | undefined;
}

const response = {
  200: { description: 'A gzip\'d tar of the branch tree under one folder named after the worker', type: 'string', format: 'binary' },
  ...v1ErrorResponses,
  ...historyErrorResponses,
} as const;

export async function snapshotRoutes(app: FastifyInstance, options: SnapshotRoutesOptions): Promise<void> {
  const { catalog } = app;
  const { history } = options;

  const archiveOf = async (commitOid: string, folder: string): Promise<SnapshotArchive> => {
    const archive = await requireHistory(history).snapshot({ commitOid, folder });
    if (isHistoryFailure(archive)) throw failureError(archive);
    return archive;
  };

  app.get<{ Params: WorkerIdParams }>('/v1/workers/:id/snapshot.tar.gz', {
    schema: { params: workerIdParams, response },
  }, async (request, reply) => {
    const { id } = request.params;
    const served = servedWorker(app, id);
    const archive = await archiveOf(served.record.commit.oid, id);
    return sendArchive({ request, reply, archive, filename: `${id}.tar.gz`, etag: archiveEtag(id, archive), maxAgeSeconds: catalog.cacheMaxAgeSeconds });
  });

  app.get<{ Params: WorkerVersionParams }>('/v1/workers/:id/versions/:version/snapshot.tar.gz', {
    schema: { params: workerVersionParams, response },
  }, async (request, reply) => {
    const { id } = request.params;
    const version = await workerVersion(app, history, request.params);
    const archive = await archiveOf(version.commit, id);
    // ':' (an epoch) is not allowed in file names everywhere.
    const filename = `${id}-${version.version.replace(':', '_')}.tar.gz`;
    return sendArchive({ request, reply, archive, filename, etag: archiveEtag(id, archive), maxAgeSeconds: catalog.cacheMaxAgeSeconds });
  });
}

/** The bytes are a function of the commit and the top folder's name. */
function archiveEtag(folder: string, archive: SnapshotArchive): string {
  return `"${archive.commit}-${folder}.tar.gz"`;
}

interface SendArchiveOptions {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly archive: SnapshotArchive;
  readonly filename: string;
  readonly etag: string;
  readonly maxAgeSeconds: number;
}

/** Like sendCached, but never compressed again: the .tar.gz is the representation, not a content-coding of one. */
function sendArchive(options: SendArchiveOptions): FastifyReply {
  const { request, reply, archive, etag } = options;
  const lastModified = new Date(archive.time * 1000);
  reply
    .header('etag', etag)
    .header('last-modified', lastModified.toUTCString())
    .header('cache-control', `public, max-age=${options.maxAgeSeconds}`)
    .header('x-checksum-sha256', archive.sha256.toString('hex'))
    .header('repr-digest', `sha-256=:${archive.sha256.toString('base64')}:`);
  if (isNotModified(request, etag, archive.time)) return reply.code(304).send();
  return reply
    .type('application/gzip')
    .header('content-disposition', `attachment; filename="${options.filename}"`)
    .send(archive.bytes);
}

function isNotModified(request: FastifyRequest, etag: string, time: number): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  // If-None-Match wins; If-Modified-Since counts only without it (RFC 9110 §13.2.2).
  if (ifNoneMatch !== undefined) return matchesIfNoneMatch(ifNoneMatch, etag);
  const since = Date.parse(request.headers['if-modified-since'] ?? '');
  return !Number.isNaN(since) && time <= Math.floor(since / 1000);
}
