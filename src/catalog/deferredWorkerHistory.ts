// DeferredWorkerHistory: the WorkerHistory the app is built with before the
// repository is open (server.ts listens first, so /health answers at once).
// Until a real one is attached every answer is `unavailable` (503).

import type { HistoryFailure, WorkerHistory } from './workerHistory.js';

const UNAVAILABLE: HistoryFailure = { kind: 'unavailable' };

export class DeferredWorkerHistory implements WorkerHistory {
  #history: WorkerHistory | undefined;

  attach(history: WorkerHistory): void {
    this.#history = history;
  }

  versions(options: Parameters<WorkerHistory['versions']>[0]): ReturnType<WorkerHistory['versions']> {
    return this.#history?.versions(options) ?? Promise.resolve(UNAVAILABLE);
  }

  file(options: Parameters<WorkerHistory['file']>[0]): ReturnType<WorkerHistory['file']> {
    return this.#history?.file(options) ?? Promise.resolve(UNAVAILABLE);
  }

  snapshot(options: Parameters<WorkerHistory['snapshot']>[0]): ReturnType<WorkerHistory['snapshot']> {
    return this.#history?.snapshot(options) ?? Promise.resolve(UNAVAILABLE);
  }
}
