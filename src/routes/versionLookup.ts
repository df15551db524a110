// What the version and snapshot routes share: the `:id/:version` parameters,
// and finding a served worker's history, one version of it, or a failure of
// the history port, as HTTP answers.

import type { FastifyInstance } from 'fastify';
import { isHistoryFailure, type HistoryFailure, type WorkerHistory, type WorkerVersion, type WorkerVersions } from '../catalog/workerHistory.js';
import { WORKER_VERSION_MAX_LENGTH, WORKER_VERSION_PATTERN } from '../catalog/workerVersion.js';
import { HttpError } from '../http/httpError.js';
import { servedWorker } from './servedWorker.js';
import { workerIdParams } from './workerIdParams.js';

export const workerVersionParams = {
  type: 'object',
  required: ['id', 'version'],
  additionalProperties: false,
  properties: {
    id: workerIdParams.properties.id,
    version: {
      type: 'string',
      minLength: 3,
      maxLength: WORKER_VERSION_MAX_LENGTH,
      pattern: WORKER_VERSION_PATTERN.source,
      description: '`[epoch:]pkgver-pkgrel`, e.g. `0.1.0-1` or `1:2.0-3`',
    },
  },
} as const;

export interface WorkerVersionParams {
  readonly id: string;
  readonly version: string;
}

/** The error answers of routes that read history, beside the usual v1 ones. */
export const historyErrorResponses = {
  422: { description: 'The tree cannot be archived (too large, or a path that is not safe)', $ref: 'V1Error#' },
} as const;

export function requireHistory(history: WorkerHistory | undefined): WorkerHistory {
  if (history === undefined) throw historyUnavailable();
  return history;
}

/** The served worker's versions, walked from its branch's tip: a rejected newer tip is history too. */
export async function workerVersions(app: FastifyInstance, history: WorkerHistory | undefined, id: string): Promise<WorkerVersions> {
  const served = servedWorker(app, id);
  const port = requireHistory(history);
  const branch = served.record.branch;
  const tipOid = app.catalog.snapshot().branches.get(branch)?.oid ?? served.record.commit.oid;
  const versions = await port.versions({ branch, tipOid });
  if (isHistoryFailure(versions)) throw failureError(versions);
  return versions;
}

export async function workerVersion(app: FastifyInstance, history: WorkerHistory | undefined, params: WorkerVersionParams): Promise<WorkerVersion> {
  const versions = await workerVersions(app, history, params.id);
  const found = versions.versions.find((entry) => entry.version === params.version);
  if (found === undefined) throw new HttpError(404, 'VERSION_NOT_FOUND', 'This worker has no such version in its history');
  return found;
}

export function failureError(failure: HistoryFailure): HttpError {
  switch (failure.kind) {
    case 'unavailable':
      return historyUnavailable();
    case 'missing-objects':
      return new HttpError(503, 'HISTORY_MISSING_OBJECTS', 'The catalog mirror lacks the git objects of this commit');
    case 'too-large':
      return new HttpError(422, 'SNAPSHOT_TOO_LARGE', 'The tree at this commit is too large to archive', { detail: failure.detail });
    case 'unsafe-path':
      return new HttpError(422, 'SNAPSHOT_UNSAFE_PATH', 'The tree at this commit holds a path that cannot be archived safely', { detail: failure.detail });
  }
}

function historyUnavailable(): HttpError {
  return new HttpError(503, 'HISTORY_UNAVAILABLE', 'This catalog serves no branch history');
}
