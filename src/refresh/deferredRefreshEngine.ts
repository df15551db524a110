// DeferredRefreshEngine: the app listens before the first index exists (so
// /health answers during a long first clone), but the refresh engine needs
// the repository that index was read from. The app holds this stand-in and
// server.ts attaches the engine once the first index is served. Nothing is
// lost before that: the webhook route refuses deliveries with 503 until the
// first index exists, and GitHub's redelivery or the reconcile loop covers them.

import type { RefreshEngine, RefreshStatus } from './refreshEngine.js';
import type { RefreshRequest, RefreshRequester } from './refreshRequest.js';

export class DeferredRefreshEngine implements RefreshRequester {
  #engine: RefreshEngine | undefined;

  attach(engine: RefreshEngine): void {
    if (this.#engine !== undefined) throw new Error('DeferredRefreshEngine: an engine is already attached');
    this.#engine = engine;
  }

  request(request: RefreshRequest): void {
    this.#engine?.request(request);
  }

  /** Undefined until the engine is attached. */
  get status(): RefreshStatus | undefined {
    return this.#engine?.status;
  }
}
