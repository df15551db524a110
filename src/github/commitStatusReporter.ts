// CommitStatusReporter: posts a commit status for every branch record the
// refresh engine produced, in the background. Indexing never waits for
// GitHub: report() only queues; one loop sends in order, the client retries
// and respects rate limits, and a status that still fails is logged and
// dropped — GitHub being down must not block or break the catalog. A commit
// already given a status is not posted again.

import type { BranchRecord } from '../catalog/branchRecord.js';
import type { GitLogger } from '../git/gitLogger.js';
import { commitStatusFor, type CommitStatus } from './commitStatus.js';
import type { GithubClient } from './githubClient.js';

export interface CommitStatusReporterOptions {
  readonly client: GithubClient;
  /** `owner/name`. */
  readonly repository: string;
  readonly publicBaseUrl: string | undefined;
  readonly logger: GitLogger;
}

/** Statuses waiting beyond this are dropped oldest first: a burst must not grow memory without bound. */
const MAX_QUEUED = 1000;
/** How many reported commits are remembered to skip repeats. */
const REMEMBERED = 10_000;

export class CommitStatusReporter {
  readonly #options: CommitStatusReporterOptions;
  readonly #owner: string;
  readonly #repo: string;
  #queue: CommitStatus[] = [];
  /** sha → state queued or posted; a failed post is forgotten so a later report may try again. */
  readonly #reported = new Map<string, string>();
  #running: Promise<void> | undefined;
  #closed = false;
  /** Aborted by close(): shutting down must not wait out GitHub's retries. */
  readonly #abort = new AbortController();

  constructor(options: CommitStatusReporterOptions) {
    this.#options = options;
    const [owner, repo] = options.repository.split('/');
    if (owner === undefined || repo === undefined) throw new TypeError(`CommitStatusReporter: repository must be owner/name, got ${options.repository}`);
    this.#owner = owner;
    this.#repo = repo;
  }

  /** Queues a status for each record; never throws, never waits. */
  report(records: readonly BranchRecord[]): void {
    if (this.#closed) return;
    for (const record of records) {
      const status = commitStatusFor(record, this.#options.publicBaseUrl);
      if (this.#reported.get(status.sha) === status.state) continue;
      this.#remember(status);
      this.#queue.push(status);
    }
    if (this.#queue.length > MAX_QUEUED) {
      const dropped = this.#queue.length - MAX_QUEUED;
      this.#queue = this.#queue.slice(dropped);
      this.#options.logger.warn({ dropped }, 'too many commit statuses waiting; dropped the oldest');
    }
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  /** Resolves when every queued status was sent or given up on. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /**
   * Stops: what is still queued is dropped (logged) and the request in flight
   * aborted. Waits at most `graceMs` for it: a retry already waiting out its
   * back-off inside Octokit does not see the abort until it wakes.
   */
  async close(graceMs = 2000): Promise<void> {
    this.#closed = true;
    if (this.#queue.length > 0) this.#options.logger.warn({ dropped: this.#queue.length }, 'shutting down: commit statuses not posted');
    this.#queue = [];
    this.#abort.abort();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
      timer.unref();
    });
    await Promise.race([this.idle(), grace]);
    clearTimeout(timer);
  }

  async #drain(): Promise<void> {
    const { client, logger } = this.#options;
    for (let status = this.#queue.shift(); status !== undefined; status = this.#queue.shift()) {
      if (this.#closed) return;
      try {
        await client.rest.repos.createCommitStatus({ owner: this.#owner, repo: this.#repo, ...status, request: { signal: this.#abort.signal } });
        logger.info({ sha: status.sha, state: status.state }, 'commit status posted');
      } catch (error) {
        if (this.#reported.get(status.sha) === status.state) this.#reported.delete(status.sha);
        const code = (error as { status?: unknown }).status;
        logger.error({ sha: status.sha, state: status.state, status: typeof code === 'number' ? code : undefined, err: error instanceof Error ? error.message : String(error) }, 'could not post a commit status; the catalog is not affected');
      }
    }
  }

  #remember(status: CommitStatus): void {
    this.#reported.delete(status.sha);
    this.#reported.set(status.sha, status.state);
    if (this.#reported.size > REMEMBERED) this.#reported.delete(this.#reported.keys().next().value!);
  }
}
