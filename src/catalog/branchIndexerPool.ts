// branchIndexerPool: reading and indexing branches on a few worker threads,
// for a whole-catalog index. Parsing and validating a branch (the PKGBUILD
// reader is CPU-bound wasm) and reading its objects (an inflate each) are
// most of a cold index of thousands of branches; on threads they run beside
// the main thread, which hands out refs and serialises the answers. Each
// thread reads from the packs the main thread read once and shares with it
// (SharedArrayBuffers). indexBranchFiles is pure and a record is plain data
// (Maps, arrays, Uint8Arrays), which structured clone copies exactly, so a
// record is the same from any thread.
//
// Under tsx (tests, `npm start`) the worker is the .ts file, loaded through
// tsx's own loader; compiled, it is the .js beside this one.

import { Worker } from 'node:worker_threads';
import { DEFAULT_BASE_CACHE_BYTES } from '../git/packObjectReader.js';
import type { PackFiles } from '../git/readPackFiles.js';
import type { BranchFiles, BranchRef } from '../git/types.js';
import type { BranchRecord } from './branchRecord.js';
import type { IndexAnswer, IndexerThreadData, IndexRequest } from './branchIndexerWorker.js';

export interface BranchIndexerPool {
  readonly threads: number;
  /**
   * What indexBranchFiles(ref, files) resolves with, made on one of the pool's
   * threads. File bytes come back as Uint8Arrays, which is what readBranchFiles
   * gives; a Buffer would come back as a plain Uint8Array.
   */
  index(ref: BranchRef, files: BranchFiles): Promise<BranchRecord>;
  /**
   * What indexBranch(repo, ref, { objects }) resolves with, read from the
   * pool's packs and made on thread `lane` (0 to threads - 1; another one when
   * that one failed); undefined when the packs cannot serve every object of
   * the branch and it must be read through isomorphic-git.
   */
  read(ref: BranchRef, lane: number): Promise<BranchRecord | undefined>;
  /** Stops every thread; records still pending reject. */
  close(): Promise<void>;
}

export interface BranchIndexerPoolOptions {
  readonly threads: number;
  /** What `read` reads from (readPackFiles, shared); without packs every `read` answers undefined. */
  readonly packs?: readonly PackFiles[];
}

interface Pending {
  readonly resolve: (record: BranchRecord | undefined) => void;
  readonly reject: (error: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Set once the thread failed or exited: it is sent nothing more. */
  failure?: Error;
}

export function createBranchIndexerPool(options: BranchIndexerPoolOptions): BranchIndexerPool {
  const count = Math.max(1, options.threads);
  // The threads' delta base caches together hold what one reader's would.
  const data: IndexerThreadData = { packs: options.packs ?? [], baseCacheBytes: Math.ceil(DEFAULT_BASE_CACHE_BYTES / count) };
  const threads: Thread[] = Array.from({ length: count }, () => startThread(data));
  let nextId = 0;
  let closed = false;
  const send = (thread: Thread | undefined, request: Omit<IndexRequest, 'id'>): Promise<BranchRecord | undefined> => {
    if (closed) return Promise.reject(new Error('the branch indexer pool is closed'));
    if (thread === undefined) return Promise.reject(threads[0]!.failure!);
    const id = nextId++;
    return new Promise<BranchRecord | undefined>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, ...request } as IndexRequest);
    });
  };
  return {
    threads: count,
    async index(ref, files) {
      // The thread with the fewest branches queued: branches differ in size.
      const record = await send(leastBusy(threads), { ref, files });
      if (record === undefined) throw new Error('a branch indexer thread answered without a record');
      return record;
    },
    read(ref, lane) {
      const own = threads[lane];
      return send(own !== undefined && own.failure === undefined ? own : leastBusy(threads), { ref });
    },
    async close() {
      closed = true;
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
      for (const thread of threads) failAll(thread, new Error('the branch indexer pool was closed'));
    },
  };
}

/** The living thread with the fewest branches queued; undefined when every thread failed. */
function leastBusy(threads: readonly Thread[]): Thread | undefined {
  let best: Thread | undefined;
  for (const each of threads) if (each.failure === undefined && (best === undefined || each.pending.size < best.pending.size)) best = each;
  return best;
}

function startThread(data: IndexerThreadData): Thread {
  const worker = spawnWorker(data);
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

function spawnWorker(workerData: IndexerThreadData): Worker {
  const self = import.meta.url;
  // Structured clone shares SharedArrayBuffers: every thread reads the same pack memory.
  if (!self.endsWith('.ts')) return new Worker(new URL('./branchIndexerWorker.js', self), { workerData });
  // Threads do not inherit tsx's loader: the worker registers it before importing the .ts body.
  const tsx = import.meta.resolve('tsx/esm/api');
  const body = new URL('./branchIndexerWorker.ts', self).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(body)}); })`, { eval: true, workerData });
}
