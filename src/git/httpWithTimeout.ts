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

/** Every client httpWithTimeout made, with its deadline. */
const deadlines = new WeakMap<HttpClient, number>();

/**
 * `options.http` bounded by `timeoutMs`; returned as it is when it is already
 * a client of this one bounded as tightly (the service's remote client is,
 * and openCatalogRepository bounds whatever it is given).
 */
export function httpWithTimeout(options: HttpWithTimeoutOptions = {}): HttpClient {
  const inner = options.http ?? nodeHttp;
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const innerTimeoutMs = deadlines.get(inner);
  if (innerTimeoutMs !== undefined && innerTimeoutMs <= timeoutMs) return inner;
  const bounded: HttpClient = {
    async request(request: GitHttpRequest): Promise<GitHttpResponse> {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new GitHttpTimeoutError(redactUrl(request.url), timeoutMs)), timeoutMs);
      // A finished request must not keep the process alive until its deadline.
      timer.unref();
      const signal = request.signal === undefined ? controller.signal : AbortSignal.any([request.signal, controller.signal]);
      try {
        // The inner client may ignore the signal (or lose the error between two
        // reads, as isomorphic-git's Node client can); racing every await against
        // it is what guarantees the deadline.
        const response = await untilAborted(inner.request({ ...request, signal }), signal);
        if (response.body === undefined) {
          clearTimeout(timer);
          return response;
        }
        return { ...response, body: guardBody(response.body, signal, () => clearTimeout(timer)) };
      } catch (error) {
        clearTimeout(timer);
        throw signal.aborted ? signal.reason : error;
      }
    },
  };
  deadlines.set(bounded, timeoutMs);
  return bounded;
}

/**
 * `step`, or the signal's reason once it aborts, whichever comes first. The
 * abort listener lives for this one step: a listener left on a composite
 * signal (AbortSignal.any, when the caller passed a signal of its own, as an
 * outer httpWithTimeout does) pins the signal in Node's set of signals kept
 * alive, and with it the request, the response and every chunk read — about
 * 20 MB per clone at 10,000 branches, and more with every fetch. A race
 * against one long-lived promise would instead pile up a reaction per chunk,
 * each holding that chunk, until the body ends.
 */
function untilAborted<T>(step: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    step.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const fail = (): void => reject(signal.reason);
    signal.addEventListener('abort', fail, { once: true });
    step.then(
      (value) => {
        signal.removeEventListener('abort', fail);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', fail);
        reject(error);
      },
    );
  });
}

async function* guardBody(
  body: AsyncIterableIterator<Uint8Array>,
  signal: AbortSignal,
  finished: () => void,
): AsyncIterableIterator<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const step = await untilAborted(iterator.next(), signal);
      if (step.done) return;
      yield step.value;
    }
  } finally {
    finished();
    await iterator.return?.();
  }
}
