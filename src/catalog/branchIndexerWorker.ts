// branchIndexerWorker: the body of one branchIndexerPool thread. Sent a ref
// alone, it reads the branch from the packs the main thread shared with it
// (a pack object reader of its own over the same memory) and indexes it;
// sent a ref with its files, it only indexes them (parsers, rules, and the
// PKGBUILD reader, CPU-bound wasm). Every record is posted back under its id.

import { parentPort, workerData } from 'node:worker_threads';
import { packObjectReaderFrom, type ObjectReader } from '../git/packObjectReader.js';
import type { PackFiles } from '../git/readPackFiles.js';
import type { BranchFiles, BranchRef } from '../git/types.js';
import type { BranchRecord } from './branchRecord.js';
import { indexBranchFiles, indexBranchFromObjects } from './indexBranch.js';

export interface IndexerThreadData {
  /** The packs as the main thread read them, in SharedArrayBuffers. */
  readonly packs: readonly PackFiles[];
  readonly baseCacheBytes: number;
}

export type IndexRequest =
  | { readonly id: number; readonly ref: BranchRef; readonly files: BranchFiles }
  | { readonly id: number; readonly ref: BranchRef; readonly files?: undefined };

/** `record` undefined: the packs could not serve the branch, and the main thread reads it through isomorphic-git. */
export type IndexAnswer =
  | { readonly id: number; readonly record: BranchRecord | undefined }
  | { readonly id: number; readonly error: string };

const port = parentPort;
if (port === null) throw new Error('branchIndexerWorker runs in a worker thread only');
const data = workerData as IndexerThreadData;
let objects: ObjectReader | undefined;

port.on('message', (request: IndexRequest) => {
  let indexed: Promise<BranchRecord | undefined>;
  try {
    if (request.files !== undefined) {
      indexed = indexBranchFiles(request.ref, request.files);
    } else {
      objects ??= packObjectReaderFrom(data.packs, { baseCacheBytes: data.baseCacheBytes });
      indexed = indexBranchFromObjects(objects, request.ref);
    }
  } catch (error) {
    indexed = Promise.reject(error);
  }
  indexed.then(
    (record) => port.postMessage({ id: request.id, record } satisfies IndexAnswer),
    (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies IndexAnswer),
  );
});
