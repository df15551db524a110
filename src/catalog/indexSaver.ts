// IndexSaver: keeps the saved index following the served snapshot. Swaps
// are many (a push each) and a save of 10,000 branches is not free (the
// whole file, 120 MB, is written and fsync'd), so saves are debounced: the
// newest snapshot is written once swaps have been quiet for `delayMs`
// (stretched to SAVE_COST_FACTOR times what the last save took on the event
// loop), and at the latest `maxDelayMs` after the first swap not yet saved.
// A burst of pushes is saved once, after it, not every few seconds under it,
// where each write held up the refreshes it overlapped: at 10,000 branches
// the slowest of 80 back-to-back pushes took 281–401 ms with those saves and
// 138 ms without. What a save leaves out costs little: a restart indexes the
// branches that moved since. One save runs at a time, and `flush` writes
// what is pending at shutdown. The snapshot last written is not written
// again. (Compared by identity: equal snapshot ids only mean equal tips, and
// a rejected tip with or without its last good version has the same id.)
// A save copies the chunks no push changed from the file it saved last
// (held open, see encodeSavedIndex), so after a push it encodes one chunk.
// A failed save is logged and never affects serving; the next one then
// encodes every chunk. Given `adopt`, a save after enough branches were
// indexed from git reads the file back and has it served in place of the
// snapshot saved, when that is still the one served (see adoptSavedIndex).

import { open, type FileHandle } from 'node:fs/promises';
import type { GitLogger } from '../git/gitLogger.js';
import { adoptSavedIndex, indexedBranches, worthAdopting } from './adoptSavedIndex.js';
import { encodeSavedIndex, type SavedLayout } from './encodeSavedIndex.js';
import { readHeader } from './loadSavedIndex.js';
import { saveIndex } from './saveIndex.js';
import type { CatalogSnapshot } from './snapshot.js';

export interface IndexSaverOptions {
  readonly file: string;
  readonly serviceVersion: string;
  readonly repository: string;
  readonly gitUrl: string;
  readonly logger: GitLogger;
  /** How long swaps must have stopped before a save. */
  readonly delayMs?: number;
  /** Longest wait between a swap and its save, however long swaps keep coming. */
  readonly maxDelayMs?: number;
  /** A snapshot whose content `file` already holds (a start that reused the whole saved index), if any. */
  readonly saved?: CatalogSnapshot;
  readonly now?: () => Date;
  /** Branches per chunk on average (see encodeSavedIndex); for tests. */
  readonly chunkBranches?: number;
  /** The layout of the file at `file` as this start loaded it: the first save copies from it what is still served as it was. */
  readonly loaded?: SavedLayout;
  /** Where a saved snapshot read back from its file is served (see adoptSavedIndex); absent: never read back. */
  readonly adopt?: AdoptTarget;
  /** Called whenever the parsed fields of records read back were decoded and let go again (see SavedDetails). */
  readonly onDetailsReleased?: () => void;
  /** Hears of a failed read from a file read back (see OpenSavedFile). */
  readonly onDamaged?: (error: Error) => void;
}

/** The store a saver's snapshots come from, as adopting needs it. */
export interface AdoptTarget {
  /** The snapshot served now. */
  served(): CatalogSnapshot | undefined;
  /** Serves `snapshot`, the one served read back from its saved file. */
  swap(snapshot: CatalogSnapshot): void;
  /** See worthAdopting; for tests. */
  readonly fromBranches?: number;
}

export const DEFAULT_SAVE_DELAY_MS = 5000;
export const DEFAULT_MAX_SAVE_DELAY_MS = 60_000;
/** The wait before the next save is at least this many times the last save's event-loop time. */
export const SAVE_COST_FACTOR = 10;

export class IndexSaver {
  /** What the saver keeps of its options: not `saved` and `loaded`, whose records it must not hold once they are no longer served. */
  readonly #options: Omit<IndexSaverOptions, 'saved' | 'loaded'>;
  #pending: CatalogSnapshot | undefined;
  #saved: CatalogSnapshot | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** When the oldest swap not yet being written came (Date.now()). */
  #unsavedSince: number | undefined;
  #running: Promise<void> | undefined;
  #closed = false;
  /** Set by close: what is left is written, not read back. */
  #closing = false;
  /** Event-loop milliseconds the last save took. */
  #lastCostMs = 0;
  /** The file this saver wrote last, open, and where its chunks are in it. */
  #last: { readonly handle: FileHandle; readonly layout: SavedLayout } | undefined;
  /** The loaded file's layout, until the first save opens the file (see #openLoaded). */
  #loaded: SavedLayout | undefined;

  constructor(options: IndexSaverOptions) {
    // Kept, the start's snapshot and layout held every record it restored, and the bytes part under them, for good.
    const { saved, loaded, ...kept } = options;
    this.#options = kept;
    this.#saved = saved;
    this.#loaded = loaded;
  }

  /** Saves `snapshot` once swaps are quiet for delayMs (within maxDelayMs), unless a newer one is scheduled first. */
  schedule(snapshot: CatalogSnapshot): void {
    if (this.#closed) return;
    this.#pending = snapshot;
    this.#unsavedSince ??= Date.now();
    // A save running now schedules what came in meanwhile when it ends.
    if (this.#running !== undefined) return;
    const quietMs = Math.max(this.#options.delayMs ?? DEFAULT_SAVE_DELAY_MS, SAVE_COST_FACTOR * this.#lastCostMs);
    const latest = this.#unsavedSince + Math.max(this.#options.maxDelayMs ?? DEFAULT_MAX_SAVE_DELAY_MS, quietMs);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#saveNow();
    }, Math.max(0, Math.min(quietMs, latest - Date.now())));
    this.#timer.unref();
  }

  /** Writes what is scheduled now, and resolves once nothing is left to write. */
  async flush(): Promise<void> {
    for (let round = 0; round < 100; round += 1) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      if (this.#running !== undefined) {
        await this.#running;
        continue;
      }
      if (this.#pending === undefined) return;
      await this.#saveNow();
    }
  }

  /** Saves what is pending and takes no more. */
  async close(): Promise<void> {
    this.#closing = true;
    await this.flush();
    this.#closed = true;
    await this.#forgetLast();
  }

  #saveNow(): Promise<void> {
    this.#running ??= this.#writePending().finally(() => {
      this.#running = undefined;
      // Swaps that came in while writing wait out one more delay.
      if (this.#pending !== undefined && !this.#closed && this.#timer === undefined) {
        const pending = this.#pending;
        this.#pending = undefined;
        this.schedule(pending);
      }
    });
    return this.#running;
  }

  async #writePending(): Promise<void> {
    const snapshot = this.#pending;
    this.#pending = undefined;
    this.#unsavedSince = undefined;
    if (snapshot === undefined || snapshot === this.#saved) return;
    const { file, serviceVersion, repository, gitUrl, logger, now, chunkBranches } = this.#options;
    const started = performance.now();
    let longestStepMs = 0;
    let busyMs = 0;
    let stepStarted = started;
    const endStep = (): void => {
      const step = performance.now() - stepStarted;
      longestStepMs = Math.max(longestStepMs, step);
      busyMs += step;
    };
    // Each chunk runs between two turns of the event loop: the longest one is how long requests can wait.
    const pause = async (): Promise<void> => {
      endStep();
      await nextTurn();
      stepStarted = performance.now();
    };
    try {
      this.#last ??= await this.#openLoaded();
      const encoded = await encodeSavedIndex({ snapshot, serviceVersion, repository, gitUrl, now, pause, chunkBranches, previous: this.#last?.layout });
      endStep();
      this.#lastCostMs = busyMs;
      const encodedAt = performance.now();
      await saveIndex(file, encoded, this.#last?.handle);
      this.#saved = snapshot;
      const written = await open(file, 'r');
      await this.#forgetLast();
      this.#last = { handle: written, layout: encoded.layout };
      logger.info({
        file,
        index: snapshot.id,
        branches: encoded.header.branches,
        bytes: encoded.bytes,
        encodedChunks: encoded.encodedChunks,
        copiedChunks: encoded.copiedChunks,
        encodeMs: Math.round(encodedAt - started),
        longestStepMs: Math.round(longestStepMs),
        eventLoopMs: Math.round(busyMs),
        writeMs: Math.round(performance.now() - encodedAt),
      }, 'saved the index for the next start');
    } catch (error) {
      // Whatever failed, the next save starts from nothing it could not trust.
      await this.#forgetLast();
      logger.error({ file, err: error instanceof Error ? error.message : String(error) }, 'could not save the index; the next start indexes from git');
      return;
    }
    await this.#adoptSaved(snapshot).catch((error: unknown) => {
      logger.error({ file, err: error instanceof Error ? error.message : String(error) }, 'could not read back the saved index; serving the records as they are');
    });
  }

  /** Serves `snapshot` as read back from the file just written, when it is still served and that is worth a load. */
  async #adoptSaved(snapshot: CatalogSnapshot): Promise<void> {
    const { adopt, file, serviceVersion, repository, gitUrl, logger, onDetailsReleased, onDamaged } = this.#options;
    if (adopt === undefined || this.#closing || adopt.served() !== snapshot) return;
    const indexed = indexedBranches(snapshot);
    if (!worthAdopting(indexed, snapshot.branches.size, adopt.fromBranches)) return;
    const started = performance.now();
    const adopted = await adoptSavedIndex({ file, serviceVersion, repository, gitUrl, logger, saved: snapshot, pause: nextTurn, onDetailsReleased, onDamaged });
    // Whatever was swapped in meanwhile (a push) is newer than the file: its own save adopts.
    if (adopted === undefined || adopt.served() !== snapshot || this.#last === undefined) return;
    this.#saved = adopted.snapshot;
    this.#last = { handle: this.#last.handle, layout: adopted.layout };
    adopt.swap(adopted.snapshot);
    logger.info({ file, index: snapshot.id, branches: snapshot.branches.size, indexedBranches: indexed, adoptMs: Math.round(performance.now() - started) }, 'serving the saved index in place of the records indexed since it was last read');
  }

  /**
   * The file this start loaded, open, if it is still the one whose layout it
   * was given (its header's structureSha256 covers every chunk's digest), so
   * its chunks can be copied; else nothing, and the save encodes every chunk.
   */
  async #openLoaded(): Promise<{ readonly handle: FileHandle; readonly layout: SavedLayout } | undefined> {
    const layout = this.#loaded;
    this.#loaded = undefined;
    if (layout === undefined) return undefined;
    const handle = await open(this.#options.file, 'r').catch(() => undefined);
    if (handle === undefined) return undefined;
    const header = await readHeader(handle).catch(() => undefined);
    if (header?.structureSha256 === layout.structureSha256) return { handle, layout };
    await handle.close().catch(() => undefined);
    return undefined;
  }

  async #forgetLast(): Promise<void> {
    const last = this.#last;
    this.#last = undefined;
    await last?.handle.close().catch(() => undefined);
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
