// startReconcileLoop: GitHub drops deliveries and sends none when many
// branches are pushed at once, so every interval the engine is asked to
// compare all refs with the remote. Cheap when nothing changed: one ref
// advertisement (see fetchMirror). Returns a function that stops the loop.

import type { RefreshRequester } from './refreshRequest.js';

export function startReconcileLoop(options: { requester: RefreshRequester; intervalSeconds: number }): () => void {
  if (options.intervalSeconds <= 0) return () => {};
  const timer = setInterval(() => options.requester.request({ kind: 'full', reason: 'reconcile' }), options.intervalSeconds * 1000);
  // The loop alone must not keep the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
