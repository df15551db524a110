// hashFileParts: the sha256 of byte ranges of an open file, computed on a
// worker thread that reads them itself — so a warm restart hashes its
// 120 MB on the second core while the main thread decodes. Given a
// SharedArrayBuffer, the thread reads the ranges into it and hashes them
// there, so a caller that wants the bytes too has them read from the file
// once, off its own thread, instead of reading them again itself. The worker
// is plain JavaScript (no loader, no TypeScript) and starts in a few
// milliseconds.

import { Worker } from 'node:worker_threads';

export interface FilePart {
  readonly position: number;
  readonly length: number;
}

/** Where the parts' bytes go: file position `start` lands at offset 0 of `buffer`. */
export interface SharedTarget {
  readonly buffer: SharedArrayBuffer;
  readonly start: number;
}

// Positional reads (readSync with a position) never move the file offset the main thread may use.
const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { fd, parts, into } = workerData;
const slice = into === undefined ? Buffer.allocUnsafe(8 * 1024 * 1024) : undefined;
const readFully = (target, length, position) => {
  for (let done = 0; done < length;) {
    const read = readSync(fd, target, done, length - done, position + done);
    if (read === 0) throw new Error('the file ended early');
    done += read;
  }
};
parentPort.postMessage(parts.map(({ position, length }) => {
  const hash = createHash('sha256');
  if (into !== undefined) {
    const target = new Uint8Array(into.buffer, position - into.start, length);
    readFully(target, length, position);
    return hash.update(target).digest('hex');
  }
  for (let done = 0; done < length;) {
    const step = Math.min(slice.length, length - done);
    readFully(slice, step, position + done);
    hash.update(step === slice.length ? slice : slice.subarray(0, step));
    done += step;
  }
  return hash.digest('hex');
}));
`;

/**
 * Hex sha256 of each part of the file open as `fd`; keep it open until this
 * settles. With `into`, each part's bytes are in `into.buffer` once this
 * resolves (the answer is posted after the last write).
 */
export function hashFileParts(fd: number, parts: readonly FilePart[], into?: SharedTarget): Promise<string[]> {
  if (into !== undefined) {
    for (const { position, length } of parts) {
      if (position < into.start || position - into.start + length > into.buffer.byteLength) throw new RangeError('a part lies outside the shared buffer');
    }
  }
  return new Promise((resolve, reject) => {
    // execArgv []: the parent's `--import tsx` would load a TypeScript loader for nothing.
    const worker = new Worker(HASH_WORKER, { eval: true, execArgv: [], workerData: { fd, parts, into } });
    worker.once('message', (digests: string[]) => resolve(digests));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the hashing worker exited with ${code} before answering`)));
  });
}
