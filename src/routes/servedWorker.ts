// servedWorker: the worker a route's validated `:id` names in the current
// snapshot, or the v1 404 WORKER_NOT_FOUND (503 before the first index).

import type { FastifyInstance } from 'fastify';
import type { ServedWorker } from '../catalog/snapshot.js';
import { workerNotFound } from '../http/httpError.js';

export function servedWorker(app: FastifyInstance, id: string): ServedWorker {
  const served = app.catalog.snapshot().workers.get(id);
  if (served === undefined) throw workerNotFound();
  return served;
}
