// Snapshot tarballs, like the AUR's snapshot URL:
//   GET /v1/workers/:id/snapshot.tar.gz                    → the served commit's tree
//   GET /v1/workers/:id/versions/:version/snapshot.tar.gz  → the tree of that version's commit
// A reproducible .tar.gz (see snapshotTarball) sent through sendCached, which
// never re-encodes a gzip body, with its sha256 (X-Checksum-Sha256,
// Repr-Digest per RFC 9530), a strong ETag naming the commit and the folder,
// and Last-Modified = the commit time.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CachedBody } from '../catalog/cachedBody.js';
import { isHistoryFailure, type SnapshotArchive, type WorkerHistory } from '../catalog/workerHistory.js';
import { checksumHeaders } from '../http/checksumHeaders.js';
import { v1ErrorResponses } from '../http/errorEnvelope.js';
import { sendCached } from '../http/sendCached.js';
import { failureError, historyErrorResponses, requireHistory, workerVersion, workerVersionParams, type WorkerVersionParams } from './versionLookup.js';
import { servedWorker } from './servedWorker.js';
import { workerIdParams, type WorkerIdParams } from './workerIdParams.js';

export interface SnapshotRoutesOptions {
  /** Absent → every route here answers 503 HISTORY_UNAVAILABLE. */
  readonly history?: WorkerHistory | undefined;
}

const response = {
  200: { description: 'A gzip\'d tar of the branch tree under one folder named after the worker', content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } } },
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
  const send = (request: FastifyRequest, reply: FastifyReply, archive: SnapshotArchive, filename: string): Promise<void> | undefined => {
    reply.headers(checksumHeaders(archive.sha256)).header('content-disposition', `attachment; filename="${filename}"`);
    return sendCached(request, reply, archiveBody(archive), catalog.cacheMaxAgeSeconds);
  };

  app.get<{ Params: WorkerIdParams }>('/v1/workers/:id/snapshot.tar.gz', {
    schema: { params: workerIdParams, response },
  }, async (request, reply) => {
    const { id } = request.params;
    const archive = await archiveOf(servedWorker(app, id).record.commit.oid, id);
    return send(request, reply, archive, `${id}.tar.gz`);
  });

  app.get<{ Params: WorkerVersionParams }>('/v1/workers/:id/versions/:version/snapshot.tar.gz', {
    schema: { params: workerVersionParams, response },
  }, async (request, reply) => {
    const { id } = request.params;
    const version = await workerVersion(app, history, request.params);
    const archive = await archiveOf(version.commit, id);
    // ':' (an epoch) is not allowed in file names everywhere.
    return send(request, reply, archive, `${id}-${version.version.replace(':', '_')}.tar.gz`);
  });
}

// One body per archive (the history keeps archives by commit and folder), so nothing is rebuilt per request.
const bodies = new WeakMap<SnapshotArchive, CachedBody>();

/** The bytes are a function of the commit and the top folder's name, which the ETag names. */
function archiveBody(archive: SnapshotArchive): CachedBody {
  let body = bodies.get(archive);
  if (body === undefined) {
    body = { body: archive.bytes, etag: `"${archive.commit}-${archive.folder}.tar.gz"`, contentType: 'application/gzip', lastModified: new Date(archive.time * 1000) };
    bodies.set(archive, body);
  }
  return body;
}
