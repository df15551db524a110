// hashFileParts: the sha256 of byte ranges of an open file, computed on a
// worker thread that reads them itself — so a warm restart hashes its
// 80 MB on the second core while the main thread decodes, and the bytes
// are never in the main thread's memory. The worker is plain JavaScript (no
// loader, no TypeScript) and starts in a few milliseconds.

import { Worker } from 'node:worker_threads';

export interface FilePart {
  readonly position: number;
  readonly length: number;
}

// Positional reads (readSync with a position) never move the file offset the main thread may use.
const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { fd, parts } = workerData;
const slice = Buffer.allocUnsafe(8 * 1024 * 1024);
const readFully = (target, length, position) => {
  for (let done = 0; done < length;) {
    const read = readSync(fd, target, done, length - done, position + done);
    if (read === 0) throw new Error('the file ended early');
    done += read;
  }
};
parentPort.postMessage(parts.map(({ position, length }) => {
  const hash = createHash('sha256');
  for (let done = 0; done < length;) {
    const step = Math.min(slice.length, length - done);
    readFully(slice, step, position + done);
    hash.update(step === slice.length ? slice : slice.subarray(0, step));
    done += step;
  }
  return hash.digest('hex');
}));
`;

/** Hex sha256 of each part of the file open as `fd`; keep it open until this settles. */
export function hashFileParts(fd: number, parts: readonly FilePart[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // execArgv []: the parent's `--import tsx` would load a TypeScript loader for nothing.
    const worker = new Worker(HASH_WORKER, { eval: true, execArgv: [], workerData: { fd, parts } });
    worker.once('message', (digests: string[]) => resolve(digests));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the hashing worker exited with ${code} before answering`)));
  });
}
