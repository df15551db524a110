// RefreshEngine: turns refresh requests into new snapshots. One drain loop
// serialises every write to the mirror; requests that arrive while it runs
// coalesce (ten pushes to one branch become one more sync, which finds the
// tip already fetched). Only the named branches are synced and re-read; the
// rest of the snapshot is reused, and the new one is swapped in whole. A
// failed sync keeps the old snapshot, re-queues its requests and retries with
// exponential backoff; it never stops the server. A branch is re-read through
// PackFileObjects (an entry at a time from the pack files), so a stream of
// pushes does not hold the clone's whole pack in memory.

import { buildSnapshot } from '../catalog/buildSnapshot.js';
import { patchSnapshot } from '../catalog/patchSnapshot.js';
import type { CatalogStore } from '../catalog/catalogStore.js';
import type { BranchRecord } from '../catalog/branchRecord.js';
import type { CatalogSnapshot } from '../catalog/snapshot.js';
import type { GitLogger } from '../git/gitLogger.js';
import { PackFileObjects } from '../git/packFileObjects.js';
import type { ObjectReader } from '../git/packObjectReader.js';
import { releasePackData } from '../git/releasePackData.js';
import type { CatalogRepository } from '../git/types.js';
import type { MirrorSync } from './mirrorSync.js';
import type { RefreshObserver } from './refreshObserver.js';
import type { RefreshRequest, RefreshRequester } from './refreshRequest.js';

export interface RefreshEngineOptions {
  readonly repo: CatalogRepository;
  readonly store: CatalogStore;
  readonly gitUrl: string;
  readonly sync: MirrorSync;
  readonly logger: GitLogger;
  readonly retry?: { readonly initialDelayMs: number; readonly maxDelayMs: number };
  /** Told how each refresh went (durations, the failing stage): the metrics. */
  readonly observer?: RefreshObserver;
  /** Told, after each swap, which branch records are new (re-indexed); e.g. to post commit statuses. Never awaited. */
  readonly onIndexed?: (records: readonly BranchRecord[]) => void;
  readonly now?: () => Date;
  /**
   * How long after the last refresh the whole packs isomorphic-git's cache
   * loaded are let go (releasePackData): a full refresh, a history request
   * or an object PackFileObjects could not read loads one, and a burst of
   * those had better not read the clone's pack (23 MB at 10,000 branches)
   * again each time; a quiet service holds its index, not its packs.
   */
  readonly releasePacksAfterMs?: number;
}

export const DEFAULT_RELEASE_PACKS_AFTER_MS = 10_000;
/** Patches of one refresh when other swaps keep coming in while it reads its branches. */
const PATCH_ATTEMPTS = 3;

/** A refresh's new snapshot and the one it was made from (undefined: from nothing). */
interface Rebuilt {
  readonly snapshot: CatalogSnapshot;
  readonly base: CatalogSnapshot | undefined;
}

export interface RefreshStatus {
  readonly lastRefreshAt: Date | undefined;
  readonly lastError: { readonly message: string; readonly at: Date } | undefined;
  readonly pending: number;
  readonly running: boolean;
}

export class RefreshEngine implements RefreshRequester {
  readonly #options: RefreshEngineOptions;
  readonly #now: () => Date;
  /** Branches to sync, with the delivery ids that asked (for the log). */
  #branches = new Map<string, string[]>();
  #full: string[] | undefined;
  #running: Promise<void> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #releaseTimer: NodeJS.Timeout | undefined;
  #failures = 0;
  #closed = false;
  readonly #packs: PackFileObjects;
  #lastRefreshAt: Date | undefined;
  #lastError: { message: string; at: Date } | undefined;

  constructor(options: RefreshEngineOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#packs = new PackFileObjects(options.repo.gitdir);
  }

  request(request: RefreshRequest): void {
    if (this.#closed) return;
    const asker = request.deliveryId ?? (request.kind === 'full' ? request.reason : 'request');
    if (request.kind === 'full') this.#full = [...(this.#full ?? []), asker];
    else this.#branches.set(request.branch, [...(this.#branches.get(request.branch) ?? []), asker]);
    // The remote, not the payload, says whether a branch still exists: `delete` syncs like `branch`.
    if (this.#retryTimer === undefined) this.#start();
  }

  get status(): RefreshStatus {
    return {
      lastRefreshAt: this.#lastRefreshAt,
      lastError: this.#lastError,
      pending: this.#branches.size + (this.#full === undefined ? 0 : 1),
      running: this.#running !== undefined,
    };
  }

  /** Resolves once nothing is queued or running (retries pending on a timer count as idle). */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /** Stops accepting requests and retrying; waits for a running sync to finish. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#releaseTimer);
    await this.idle();
    await this.#packs.close();
  }

  #start(): void {
    // One turn of the event loop first, so requests arriving together share one sync.
    this.#running ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#drain())
      .finally(() => {
        this.#running = undefined;
      });
  }

  async #drain(): Promise<void> {
    while (!this.#closed && (this.#full !== undefined || this.#branches.size > 0)) {
      const full = this.#full;
      const branches = this.#branches;
      this.#full = undefined;
      this.#branches = new Map();
      try {
        await this.#refresh(full, branches);
        this.#failures = 0;
      } catch (error) {
        this.#requeue(full, branches);
        this.#scheduleRetry(error);
        return;
      }
    }
  }

  async #refresh(full: string[] | undefined, branches: ReadonlyMap<string, string[]>): Promise<void> {
    let stage: 'fetch' | 'index' = 'fetch';
    try {
      await this.#fetchAndIndex(full, branches, () => {
        stage = 'index';
      });
    } catch (error) {
      this.#options.observer?.failed({ stage });
      throw error;
    }
  }

  async #fetchAndIndex(full: string[] | undefined, branches: ReadonlyMap<string, string[]>, fetched: () => void): Promise<void> {
    const { repo, store, gitUrl, sync, logger } = this.#options;
    const previous = store.current;
    const started = performance.now();
    // The default branch names HEAD's target; a change to it is re-read whole.
    const touchesDefault = previous?.defaultBranch !== undefined && branches.has(previous.defaultBranch.name);
    let rebuild: () => Promise<Rebuilt>;
    const wholeCatalog = full !== undefined || previous === undefined || touchesDefault;
    if (wholeCatalog) {
      const changed = await sync.all();
      if (!changed && previous !== undefined && branches.size === 0) {
        this.#lastRefreshAt = this.#now();
        logger.debug({ askedBy: full }, 'full refresh: the mirror already matched the remote');
        return;
      }
      rebuild = async () => ({ snapshot: await buildSnapshot({ repo, gitUrl, previous, now: this.#now }), base: previous });
    } else {
      const tips = new Map<string, string | undefined>();
      for (const branch of branches.keys()) tips.set(branch, await sync.branch(branch));
      rebuild = () => this.#patchServed(previous, tips);
    }
    const synced = performance.now();
    fetched();
    const { snapshot: next, base } = await rebuild();
    store.swap(next, wholeCatalog || base === undefined ? undefined : { from: base, branches: branches.keys() });
    this.#lastRefreshAt = this.#now();
    const done = performance.now();
    this.#releasePacksWhenIdle();
    this.#announce(base, next, full !== undefined || touchesDefault ? undefined : branches.keys());
    this.#options.observer?.refreshed({ kind: wholeCatalog ? 'full' : 'branches', fetchSeconds: (synced - started) / 1000, indexSeconds: (done - synced) / 1000 });
    logger.info({
      full: full !== undefined,
      branches: [...branches.keys()].slice(0, 20),
      // The tip each named branch was indexed at (null: deleted), so a log line names the exact commit.
      oids: Object.fromEntries([...branches.keys()].slice(0, 20).map((name) => [name, next.branches.get(name)?.oid ?? null])),
      deliveries: [...(full ?? []), ...[...branches.values()].flat()].slice(0, 20),
      workers: next.workers.size,
      syncMs: Math.round(synced - started),
      indexMs: Math.round(done - synced),
      durationMs: Math.round(done - started),
    }, 'catalog refreshed');
  }

  /**
   * The fetched branches patched onto the snapshot served once they are
   * fetched, not the one served when the refresh began: a swap made
   * meanwhile (the saver serving its file read back) is built upon, not
   * undone. Patched again, a bounded number of times, when one comes while
   * the branches are read.
   */
  async #patchServed(previous: CatalogSnapshot, tips: ReadonlyMap<string, string | undefined>): Promise<Rebuilt> {
    const { repo, store, gitUrl } = this.#options;
    const objects = await this.#packReader();
    for (let attempt = 1; ; attempt += 1) {
      const base = store.current ?? previous;
      const snapshot = await patchSnapshot({ repo, gitUrl, previous: base, tips, objects, now: this.#now });
      if (store.current === base || attempt >= PATCH_ATTEMPTS) return { snapshot, base };
    }
  }

  /** The packs as they are after the sync; undefined (isomorphic-git reads everything) when they cannot be listed. */
  async #packReader(): Promise<ObjectReader | undefined> {
    try {
      return await this.#packs.reader();
    } catch (error) {
      this.#options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not open the pack files; reading the branches through isomorphic-git');
      return undefined;
    }
  }

  #releasePacksWhenIdle(): void {
    const { repo, logger } = this.#options;
    clearTimeout(this.#releaseTimer);
    this.#releaseTimer = setTimeout(() => {
      this.#releaseTimer = undefined;
      // Safe beside a refresh or a history read under way: a released pack is read again when next needed.
      releasePackData(repo).catch((error: unknown) => {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, 'releasing the cached packs failed; they stay in memory');
      });
    }, this.#options.releasePacksAfterMs ?? DEFAULT_RELEASE_PACKS_AFTER_MS);
    this.#releaseTimer.unref();
  }

  /** Passes the re-indexed records to onIndexed; `names` limits the search to the branches a patch touched. */
  #announce(previous: CatalogSnapshot | undefined, next: CatalogSnapshot, names: Iterable<string> | undefined): void {
    const { onIndexed, logger } = this.#options;
    // The first index is the start-up state, not news about a push.
    if (onIndexed === undefined || previous === undefined) return;
    const records: BranchRecord[] = [];
    for (const name of names ?? next.branches.keys()) {
      const record = next.branches.get(name);
      if (record !== undefined && record !== previous.branches.get(name)) records.push(record);
    }
    if (records.length === 0) return;
    try {
      onIndexed(records);
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'an onIndexed listener failed; the refresh itself succeeded');
    }
  }

  #requeue(full: string[] | undefined, branches: ReadonlyMap<string, string[]>): void {
    if (full !== undefined) this.#full = [...full, ...(this.#full ?? [])];
    for (const [branch, askers] of branches) this.#branches.set(branch, [...askers, ...(this.#branches.get(branch) ?? [])]);
  }

  #scheduleRetry(error: unknown): void {
    const { initialDelayMs, maxDelayMs } = this.#options.retry ?? { initialDelayMs: 1000, maxDelayMs: 60_000 };
    this.#failures += 1;
    const delayMs = Math.min(maxDelayMs, initialDelayMs * 2 ** (this.#failures - 1));
    const message = error instanceof Error ? error.message : String(error);
    this.#lastError = { message, at: this.#now() };
    this.#options.logger.error({ err: message, failures: this.#failures, retryInMs: delayMs }, 'catalog refresh failed; serving the previous index');
    if (this.#closed) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#start();
    }, delayMs);
    this.#retryTimer.unref();
  }
}
