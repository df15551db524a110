// httpWithTimeout: an isomorphic-git HttpClient whose every request, body
// included, fails with GitHttpTimeoutError after `timeoutMs`. isomorphic-git
// has no timeout option of its own, so a remote that accepts the connection
// and never answers would otherwise hang a clone or fetch forever.

import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { GitHttpTimeoutError } from './errors.js';
import { redactUrl } from './redactUrl.js';

export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;

export interface HttpWithTimeoutOptions {
  /** The client doing the work; isomorphic-git's Node client by default. */
  readonly http?: HttpClient;
  readonly timeoutMs?: number;
}

export function httpWithTimeout(options: HttpWithTimeoutOptions = {}): HttpClient {
  const inner = options.http ?? nodeHttp;
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  return {
    async request(request: GitHttpRequest): Promise<GitHttpResponse> {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new GitHttpTimeoutError(redactUrl(request.url), timeoutMs)), timeoutMs);
      // A finished request must not keep the process alive until its deadline.
      timer.unref();
      const signal = request.signal === undefined ? controller.signal : AbortSignal.any([request.signal, controller.signal]);
      // The inner client may ignore the signal (or lose the error between two
      // reads, as isomorphic-git's Node client can); racing every await against
      // it is what guarantees the deadline.
      const aborted = new Promise<never>((_, reject) => {
        const fail = (): void => reject(signal.reason);
        if (signal.aborted) fail();
        else signal.addEventListener('abort', fail, { once: true });
      });
      aborted.catch(() => undefined);
      try {
        const response = await Promise.race([inner.request({ ...request, signal }), aborted]);
        if (response.body === undefined) {
          clearTimeout(timer);
          return response;
        }
        return { ...response, body: guardBody(response.body, aborted, () => clearTimeout(timer)) };
      } catch (error) {
        clearTimeout(timer);
        throw signal.aborted ? signal.reason : error;
      }
    },
  };
}

async function* guardBody(
  body: AsyncIterableIterator<Uint8Array>,
  aborted: Promise<never>,
  finished: () => void,
): AsyncIterableIterator<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const step = await Promise.race([iterator.next(), aborted]);
      if (step.done) return;
      yield step.value;
    }
  } finally {
    finished();
    await iterator.return?.();
  }
}
