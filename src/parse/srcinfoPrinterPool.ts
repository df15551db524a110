// srcinfoPrinterPool: printSrcinfo on a few worker threads, for a
// whole-catalog index. The PKGBUILD reader is CPU-bound wasm (about a
// millisecond a PKGBUILD), so with thousands of branches it is most of a cold
// index; threads let it run beside the main thread's reading and validating.
// printSrcinfo is pure, so a reading is the same on any thread.
//
// Under tsx (tests, `npm start`) the worker is the .ts file, loaded through
// tsx's own loader; compiled, it is the .js beside this one.

import { Worker } from 'node:worker_threads';
import type { SrcinfoReading } from './pkgbuildSrcinfo.js';
import type { PrintAnswer, PrintRequest } from './srcinfoPrinterWorker.js';

export interface SrcinfoPrinterPool {
  /** What printSrcinfo(pkgbuild) resolves with, read on one of the pool's threads. */
  print(pkgbuild: string): Promise<SrcinfoReading>;
  /** Stops every thread; readings still pending reject. */
  close(): Promise<void>;
}

export interface SrcinfoPrinterPoolOptions {
  readonly threads: number;
}

interface Pending {
  readonly resolve: (reading: SrcinfoReading) => void;
  readonly reject: (error: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  /** Set once the thread failed or exited: it is sent nothing more. */
  failure?: Error;
}

export function createSrcinfoPrinterPool(options: SrcinfoPrinterPoolOptions): SrcinfoPrinterPool {
  const threads: Thread[] = Array.from({ length: Math.max(1, options.threads) }, () => startThread());
  let nextId = 0;
  let closed = false;
  return {
    print(pkgbuild) {
      if (closed) return Promise.reject(new Error('the srcinfo printer pool is closed'));
      // The thread with the fewest readings queued: PKGBUILDs differ in size.
      const alive = threads.filter((each) => each.failure === undefined);
      if (alive.length === 0) return Promise.reject(threads[0]!.failure!);
      const thread = alive.reduce((best, each) => (each.pending.size < best.pending.size ? each : best));
      const id = nextId++;
      return new Promise<SrcinfoReading>((resolve, reject) => {
        thread.pending.set(id, { resolve, reject });
        thread.worker.postMessage({ id, pkgbuild } satisfies PrintRequest);
      });
    },
    async close() {
      closed = true;
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
      for (const thread of threads) failAll(thread, new Error('the srcinfo printer pool was closed'));
    },
  };
}

function startThread(): Thread {
  const worker = spawnWorker();
  const thread: Thread = { worker, pending: new Map() };
  worker.on('message', (answer: PrintAnswer) => {
    const pending = thread.pending.get(answer.id);
    if (pending === undefined) return;
    thread.pending.delete(answer.id);
    if ('error' in answer) pending.reject(new Error(answer.error));
    else pending.resolve(answer.reading);
  });
  worker.on('error', (error) => failAll(thread, error));
  worker.on('exit', () => failAll(thread, new Error('a srcinfo printer thread exited')));
  return thread;
}

function failAll(thread: Thread, error: Error): void {
  thread.failure ??= error;
  for (const pending of thread.pending.values()) pending.reject(error);
  thread.pending.clear();
}

function spawnWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./srcinfoPrinterWorker.js', self));
  // Threads do not inherit tsx's loader: the worker registers it before importing the .ts body.
  const tsx = import.meta.resolve('tsx/esm/api');
  const body = new URL('./srcinfoPrinterWorker.ts', self).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(body)}); })`, { eval: true });
}
