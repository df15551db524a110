// versionsBody: the JSON answer of GET /v1/workers/:id/versions, serialised
// once per history answer. Its ETag names the worker, the branch tip the
// walk started from and the gap, when history was incomplete, so nothing is
// hashed. No Last-Modified: a force-push back to an older commit drops the
// newest versions without any newer date, and an If-Modified-Since 304 would
// then keep a client on versions that no longer exist.

import type { CachedBody } from './cachedBody.js';
import type { WorkerVersions } from './workerHistory.js';

const bodies = new WeakMap<WorkerVersions, Map<string, CachedBody>>();

export interface VersionsAnswer {
  readonly id: string;
  readonly branch: string;
  readonly tip: string;
  readonly complete: boolean;
  readonly reason: string | null;
  readonly commitsRead: number;
  readonly maxCommits: number;
  readonly unversionedCommits: number;
  readonly versions: ReadonlyArray<{
    readonly version: string;
    readonly commit: string;
    readonly date: string;
    readonly valid: boolean;
    readonly problems: readonly string[];
    readonly snapshot: string;
  }>;
}

export function versionsAnswer(id: string, history: WorkerVersions): VersionsAnswer {
  return {
    id,
    branch: history.branch,
    tip: history.tip,
    complete: history.complete,
    reason: history.reason ?? null,
    commitsRead: history.commitsRead,
    maxCommits: history.maxCommits,
    unversionedCommits: history.unversionedCommits,
    versions: history.versions.map((entry) => ({
      version: entry.version,
      commit: entry.commit,
      date: new Date(entry.time * 1000).toISOString(),
      valid: entry.valid,
      problems: entry.problems,
      snapshot: `/v1/workers/${id}/versions/${encodeURIComponent(entry.version)}/snapshot.tar.gz`,
    })),
  };
}

export function versionsBody(id: string, history: WorkerVersions): CachedBody {
  let byId = bodies.get(history);
  if (byId === undefined) {
    byId = new Map();
    bodies.set(history, byId);
  }
  let body = byId.get(id);
  if (body === undefined) {
    body = {
      body: Buffer.from(JSON.stringify(versionsAnswer(id, history))),
      // Ids and oids hold no `"`; a branch may one day serve several worker ids (worker.toml variants).
      etag: `"versions-${id}-${history.tip}${history.reason === undefined ? '' : `-${history.reason}`}"`,
      contentType: 'application/json; charset=utf-8',
    };
    byId.set(id, body);
  }
  return body;
}
