// srcinfoPrinterWorker: the body of one srcinfoPrinterPool thread. It runs
// printSrcinfo (tree-sitter in wasm, CPU-bound) on every PKGBUILD it is sent
// and posts each reading back under the request's id.

import { parentPort } from 'node:worker_threads';
import { printSrcinfo } from './pkgbuildSrcinfo.js';

export interface PrintRequest {
  readonly id: number;
  readonly pkgbuild: string;
}

export type PrintAnswer =
  | { readonly id: number; readonly reading: Awaited<ReturnType<typeof printSrcinfo>> }
  | { readonly id: number; readonly error: string };

const port = parentPort;
if (port === null) throw new Error('srcinfoPrinterWorker runs in a worker thread only');
port.on('message', (request: PrintRequest) => {
  printSrcinfo(request.pkgbuild).then(
    (reading) => port.postMessage({ id: request.id, reading } satisfies PrintAnswer),
    (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies PrintAnswer),
  );
});
