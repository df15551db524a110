// githubClient: the Octokit the service talks to GitHub's REST API with.
// The throttling plugin queues requests under GitHub's rate limits and the
// retry plugin retries server errors; both wait on a scale that tests shrink
// (`waitUnitMs`: how long one "second" of retry-after lasts).

import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { GitLogger } from '../git/gitLogger.js';

const GithubOctokit = Octokit.plugin(throttling, retry);
export type GithubClient = InstanceType<typeof GithubOctokit>;

export interface GithubClientOptions {
  readonly token: string;
  /** https://api.github.com, or a GitHub Enterprise API URL. */
  readonly apiUrl: string;
  readonly logger: GitLogger;
  /** Retries after a rate limit or a server error before giving up. */
  readonly retries?: number;
  readonly waitUnitMs?: number;
  /** Per-request deadline; GitHub being slow must not hold statuses back forever. */
  readonly timeoutMs?: number;
}

export function createGithubClient(options: GithubClientOptions): GithubClient {
  const { logger } = options;
  const retries = options.retries ?? 3;
  const waitUnitMs = options.waitUnitMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retryLimited = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _client: unknown, retryCount: number): boolean => {
    logger.warn({ method: request.method, url: request.url, retryAfter, retryCount }, `GitHub ${kind} rate limit hit`);
    return retryCount < retries;
  };
  return new GithubOctokit({
    auth: options.token,
    baseUrl: options.apiUrl,
    userAgent: 'rbee-worker-catalog',
    request: { retries, fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }) },
    retry: { retryAfterBaseValue: waitUnitMs },
    throttle: {
      retryAfterBaseValue: waitUnitMs,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: retryLimited('primary'),
      onSecondaryRateLimit: retryLimited('secondary'),
    },
    // Octokit logs each failed attempt, retried ones included, at error level;
    // here they are warnings, and the caller logs a final failure as an error.
    // The messages hold method, path and status — never the token.
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => logger.warn({}, `GitHub: ${message}`),
      error: (message: string) => logger.warn({}, `GitHub request failed: ${message}`),
    },
  });
}
