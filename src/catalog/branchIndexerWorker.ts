// branchIndexerWorker: the body of one branchIndexerPool thread. It runs
// indexBranchFiles (parsers, rules, and the PKGBUILD reader, CPU-bound wasm)
// on every branch it is sent and posts each record back under its id.

import { parentPort } from 'node:worker_threads';
import type { BranchFiles, BranchRef } from '../git/types.js';
import type { BranchRecord } from './branchRecord.js';
import { indexBranchFiles } from './indexBranch.js';

export interface IndexRequest {
  readonly id: number;
  readonly ref: BranchRef;
  readonly files: BranchFiles;
}

export type IndexAnswer =
  | { readonly id: number; readonly record: BranchRecord }
  | { readonly id: number; readonly error: string };

const port = parentPort;
if (port === null) throw new Error('branchIndexerWorker runs in a worker thread only');
port.on('message', (request: IndexRequest) => {
  indexBranchFiles(request.ref, request.files).then(
    (record) => port.postMessage({ id: request.id, record } satisfies IndexAnswer),
    (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies IndexAnswer),
  );
});
