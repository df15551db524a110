// Versions and pinning, from the branch's history:
//   GET /v1/workers/:id/versions → {id, branch, tip, complete, reason, commitsRead, maxCommits,
//     unversionedCommits, versions: [{version, commit, date, valid, problems, snapshot}]}, newest first
//   GET /v1/workers/:id/versions/:version/{PKGBUILD,.SRCINFO,metadata.json} → the file as of
//     the newest commit carrying that version (ETag = blob oid, Last-Modified = commit time)

import type { FastifyInstance } from 'fastify';
import { BoundedCache } from '../catalog/boundedCache.js';
import { fileBody, type CachedBody } from '../catalog/cachedBody.js';
import { isHistoryFailure, type WorkerHistory } from '../catalog/workerHistory.js';
import { versionsBody } from '../catalog/versionsBody.js';
import { v1ErrorResponses } from '../http/errorEnvelope.js';
import { HttpError } from '../http/httpError.js';
import { sendCached } from '../http/sendCached.js';
import { failureError, requireHistory, workerVersion, workerVersionParams, workerVersions, type WorkerVersionParams } from './versionLookup.js';
import { workerIdParams, type WorkerIdParams } from './workerIdParams.js';

export interface VersionRoutesOptions {
  /** Absent → every route here answers 503 HISTORY_UNAVAILABLE. */
  readonly history?: WorkerHistory | undefined;
}

const VERSION_FILES: Readonly<Record<string, string>> = {
  PKGBUILD: 'text/plain; charset=utf-8',
  '.SRCINFO': 'text/plain; charset=utf-8',
  'metadata.json': 'application/json; charset=utf-8',
};

const versionsSchema = {
  type: 'object',
  required: ['id', 'branch', 'tip', 'complete', 'reason', 'commitsRead', 'maxCommits', 'unversionedCommits', 'versions'],
  properties: {
    id: { type: 'string' },
    branch: { type: 'string' },
    tip: { type: 'string', description: 'The branch tip the history was walked from (a rejected newer commit included).' },
    complete: { type: 'boolean' },
    reason: {
      type: ['string', 'null'],
      enum: ['HISTORY_SHALLOW', 'HISTORY_MISSING_OBJECTS', 'HISTORY_TRUNCATED', null],
      description: 'Why history is incomplete: a shallow mirror, missing objects, or more than maxCommits commits.',
    },
    commitsRead: { type: 'integer' },
    maxCommits: { type: 'integer' },
    unversionedCommits: { type: 'integer', description: 'Commits whose .SRCINFO yields no version.' },
    versions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['version', 'commit', 'date', 'valid', 'problems', 'snapshot'],
        properties: {
          version: { type: 'string' },
          commit: { type: 'string', description: 'The newest commit carrying this version.' },
          date: { type: 'string', format: 'date-time' },
          valid: { type: 'boolean', description: 'Whether that commit passes the indexing the catalog serves from.' },
          problems: { type: 'array', items: { type: 'string' }, description: 'Error codes, when not valid.' },
          snapshot: { type: 'string', description: 'Path of this version\'s snapshot tarball.' },
        },
      },
    },
  },
} as const;

export async function versionRoutes(app: FastifyInstance, options: VersionRoutesOptions): Promise<void> {
  const { catalog } = app;
  const { history } = options;
  // Bodies by blob and commit, so a file's compressed forms are made once, not per request.
  const fileBodies = new BoundedCache<string, CachedBody>({ maxEntries: 1_000 });

  app.get<{ Params: WorkerIdParams }>('/v1/workers/:id/versions', {
    schema: { params: workerIdParams, response: { 200: versionsSchema, ...v1ErrorResponses } },
  }, async (request, reply) => {
    const versions = await workerVersions(app, history, request.params.id);
    return sendCached(request, reply, versionsBody(request.params.id, versions), catalog.cacheMaxAgeSeconds);
  });

  for (const [name, contentType] of Object.entries(VERSION_FILES)) {
    app.get<{ Params: WorkerVersionParams }>(`/v1/workers/:id/versions/:version/${name}`, {
      schema: {
        params: workerVersionParams,
        response: { 200: { description: `${name} as of that version`, type: 'string' }, ...v1ErrorResponses },
      },
    }, async (request, reply) => {
      const version = await workerVersion(app, history, request.params);
      const file = await requireHistory(history).file({ commitOid: version.commit, name });
      if (file === undefined) throw new HttpError(404, 'FILE_NOT_FOUND', `This version has no ${name}`);
      if (isHistoryFailure(file)) throw failureError(file);
      const key = `${file.oid}\0${version.time}\0${name}`;
      let body = fileBodies.get(key);
      if (body === undefined) {
        body = fileBody(file, contentType, new Date(version.time * 1000));
        fileBodies.set(key, body);
      }
      return sendCached(request, reply, body, catalog.cacheMaxAgeSeconds);
    });
  }
}
