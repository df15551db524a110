// branchIndexerPool: indexBranchFiles on a few worker threads, for a
// whole-catalog index. Parsing and validating a branch (the PKGBUILD reader
// is CPU-bound wasm) costs about a millisecond, most of a cold index of
// thousands of branches; on threads it runs beside the main thread's reading
// of git objects and serialising of answers. indexBranchFiles is pure and a
// record is plain data (Maps, arrays, Uint8Arrays), which structured clone
// copies exactly, so a record is the same from any thread.
//
// Under tsx (tests, `npm start`) the worker is the .ts file, loaded through
// tsx's own loader; compiled, it is the .js beside this one.

import { Worker } from 'node:worker_threads';
import type { BranchFiles, BranchRef } from '../git/types.js';
import type { BranchRecord } from './branchRecord.js';
import type { IndexAnswer, IndexRequest } from './branchIndexerWorker.js';

export interface BranchIndexerPool {
  /**
   * What indexBranchFiles(ref, files) resolves with, made on one of the pool's
   * threads. File bytes come back as Uint8Arrays, which is what readBranchFiles
   * gives; a Buffer would come back as a plain Uint8Array.
   */
  index(ref: BranchRef, files: BranchFiles): Promise<BranchRecord>;
  /** Stops every thread; records still pending reject. */
  close(): Promise<void>;
}

export interface BranchIndexerPoolOptions {
  readonly threads: number;
}

interface Pending {
  readonly resolve: (record: BranchRecord) => void;
  readonly reject: (error: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Set once the thread failed or exited: it is sent nothing more. */
  failure?: Error;
}

export function createBranchIndexerPool(options: BranchIndexerPoolOptions): BranchIndexerPool {
  const threads: Thread[] = Array.from({ length: Math.max(1, options.threads) }, () => startThread());
  let nextId = 0;
  let closed = false;
  return {
    index(ref, files) {
      if (closed) return Promise.reject(new Error('the branch indexer pool is closed'));
      // The thread with the fewest branches queued: branches differ in size.
      const alive = threads.filter((each) => each.failure === undefined);
      if (alive.length === 0) return Promise.reject(threads[0]!.failure!);
      const thread = alive.reduce((best, each) => (each.pending.size < best.pending.size ? each : best));
      const id = nextId++;
      return new Promise<BranchRecord>((resolve, reject) => {
        thread.pending.set(id, { resolve, reject });
        thread.worker.postMessage({ id, ref, files } satisfies IndexRequest);
      });
    },
    async close() {
      closed = true;
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
      for (const thread of threads) failAll(thread, new Error('the branch indexer pool was closed'));
    },
  };
}

function startThread(): Thread {
  const worker = spawnWorker();
  const thread: Thread = { worker, pending: new Map() };
  worker.on('message', (answer: IndexAnswer) => {
    const pending = thread.pending.get(answer.id);
    if (pending === undefined) return;
    thread.pending.delete(answer.id);
    if ('error' in answer) pending.reject(new Error(answer.error));
    else pending.resolve(answer.record);
  });
  worker.on('error', (error) => failAll(thread, error));
  worker.on('exit', () => failAll(thread, new Error('a branch indexer thread exited')));
  return thread;
}

function failAll(thread: Thread, error: Error): void {
  thread.failure ??= error;
  for (const pending of thread.pending.values()) pending.reject(error);
  thread.pending.clear();
}

function spawnWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./branchIndexerWorker.js', self));
  // Threads do not inherit tsx's loader: the worker registers it before importing the .ts body.
  const tsx = import.meta.resolve('tsx/esm/api');
  const body = new URL('./branchIndexerWorker.ts', self).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(body)}); })`, { eval: true });
}
