// ChangeLog: what changed in the served catalog at each swap (workers added,
// updated, removed), kept as a bounded, append-only list so clients can sync
// incrementally from a cursor (GET /v1/changes) after downloading the full
// dump once (GET /v1/index.json.gz, which carries its snapshot's cursor).
//
// A cursor is `<epoch>.<sequence>`: the epoch is random per log (per process),
// so a cursor handed out by another process or before a restart is never
// mistaken for a position in this one; the sequence counts events recorded.

import { randomBytes } from 'node:crypto';
import type { CatalogSnapshot, ServedWorker } from './snapshot.js';

export type ChangeType = 'added' | 'updated' | 'removed';

export interface ChangeEvent {
  readonly type: ChangeType;
  readonly id: string;
  /** The version served after the change; for `removed`, the last version that was served. */
  readonly version: string;
  readonly commit: string;
  /** When the snapshot holding the change was built (ISO 8601). */
  readonly at: string;
}

/** The answer to "what happened since this cursor". */
export type ChangesSince =
  | { readonly kind: 'events'; readonly events: readonly ChangeEvent[]; readonly json: readonly string[]; readonly cursor: string; readonly more: boolean }
  /** Older than the retained events, or from another log: the client must start from the dump again. */
  | { readonly kind: 'expired' }
  /** Not something this service hands out. */
  | { readonly kind: 'invalid' };

/** A snapshot made from `from` by re-indexing `branches` alone (patchSnapshot). */
export interface SnapshotPatch {
  readonly from: CatalogSnapshot;
  readonly branches: Iterable<string>;
}

export interface ChangeLogOptions {
  /** Events kept; older cursors expire. */
  readonly capacity?: number;
  /** Default: 16 random hex digits. */
  readonly epoch?: string;
}

export const DEFAULT_CHANGE_LOG_CAPACITY = 10_000;
const CURSOR = /^([0-9a-f]{16})\.(0|[1-9][0-9]{0,14})$/;

export class ChangeLog {
  readonly epoch: string;
  readonly capacity: number;
  /** Sequence number of events[0]. */
  #first = 0;
  #events: ChangeEvent[] = [];
  /** Each event serialised once, when recorded: a page is a join, never a stringify. */
  #json: string[] = [];
  /** The log position right after each snapshot was swapped in. */
  readonly #positions = new WeakMap<CatalogSnapshot, number>();

  constructor(options: ChangeLogOptions = {}) {
    this.epoch = options.epoch ?? randomBytes(8).toString('hex');
    if (!/^[0-9a-f]{16}$/.test(this.epoch)) throw new Error(`ChangeLog: the epoch must be 16 lowercase hex digits, got ${this.epoch}`);
    this.capacity = options.capacity ?? DEFAULT_CHANGE_LOG_CAPACITY;
    if (!Number.isSafeInteger(this.capacity) || this.capacity < 1) throw new Error(`ChangeLog: capacity must be a positive integer, got ${this.capacity}`);
  }

  /** Sequence number the next event will get. */
  get #next(): number {
    return this.#first + this.#events.length;
  }

  /**
   * Records the changes from `previous` to `next`; nothing for the first
   * snapshot, whose dump is the baseline. `patch`, when `next` was patched
   * from `previous`, names every branch whose workers may differ: only their
   * workers are compared, so a push costs what it changed, not the catalog's
   * size. (Patched from another snapshot, it is ignored.)
   */
  record(previous: CatalogSnapshot | undefined, next: CatalogSnapshot, patch?: SnapshotPatch): void {
    if (previous !== undefined && previous !== next) {
      const at = next.builtAt.toISOString();
      const events = patch?.from === previous ? diffBranches(previous, next, patch.branches, at) : diffWorkers(previous.workers, next.workers, at);
      for (const event of events) {
        this.#events.push(event);
        this.#json.push(JSON.stringify(event));
      }
      const overflow = this.#events.length - this.capacity;
      if (overflow > 0) {
        this.#events.splice(0, overflow);
        this.#json.splice(0, overflow);
        this.#first += overflow;
      }
    }
    this.#positions.set(next, this.#next);
  }

  /** The cursor of the log's head now. */
  head(): string {
    return this.#cursor(this.#next);
  }

  /** The cursor right after `snapshot` was recorded: a dump of it plus the changes since compose with no gap. */
  cursorOf(snapshot: CatalogSnapshot): string | undefined {
    const position = this.#positions.get(snapshot);
    return position === undefined ? undefined : this.#cursor(position);
  }

  /** At most `limit` events after `cursor`, oldest first. */
  since(cursor: string, limit: number): ChangesSince {
    const match = CURSOR.exec(cursor);
    if (match === null) return { kind: 'invalid' };
    if (match[1] !== this.epoch) return { kind: 'expired' };
    const position = Number(match[2]);
    if (position > this.#next) return { kind: 'invalid' };
    if (position < this.#first) return { kind: 'expired' };
    const start = position - this.#first;
    const end = Math.min(this.#events.length, start + Math.max(1, limit));
    return {
      kind: 'events',
      events: this.#events.slice(start, end),
      json: this.#json.slice(start, end),
      cursor: this.#cursor(this.#first + end),
      more: end < this.#events.length,
    };
  }

  #cursor(position: number): string {
    return `${this.epoch}.${position}`;
  }
}

/**
 * What a client must redo to go from one served catalog to the other, in id
 * order. A worker is updated when its record changed: the same record object
 * (an unmoved branch is reused, not re-read) is settled by one comparison;
 * a re-read record counts only when its v1 answer differs, which names its
 * commit and version and is made from that commit alone.
 */
export function diffWorkers(previous: ReadonlyMap<string, ServedWorker>, next: ReadonlyMap<string, ServedWorker>, at: string): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (const [id, served] of next) {
    const change = changeOf(previous.get(id), served, at);
    if (change !== undefined) events.push(change);
  }
  for (const [id, served] of previous) if (!next.has(id)) events.push(eventOf('removed', served, at));
  return byId(events);
}

/** diffWorkers over the workers the named branches held before or hold now. */
function diffBranches(previous: CatalogSnapshot, next: CatalogSnapshot, branches: Iterable<string>, at: string): ChangeEvent[] {
  const ids = new Set<string>();
  for (const name of branches) {
    for (const snapshot of [previous, next]) for (const worker of snapshot.branches.get(name)?.workers ?? []) ids.add(worker.id);
  }
  const events: ChangeEvent[] = [];
  for (const id of ids) {
    const before = previous.workers.get(id);
    const after = next.workers.get(id);
    const change = after === undefined ? (before === undefined ? undefined : eventOf('removed', before, at)) : changeOf(before, after, at);
    if (change !== undefined) events.push(change);
  }
  return byId(events);
}

/** `added`, `updated` (another v1 answer, so another commit or version; not merely a new record), or nothing. */
function changeOf(before: ServedWorker | undefined, after: ServedWorker, at: string): ChangeEvent | undefined {
  if (before === undefined) return eventOf('added', after, at);
  if (before.record === after.record) return undefined;
  // The strong ETags, not the records' commit and version: a record restored
  // from the saved index reads those by decoding its whole saved chunk
  // (SavedDetails), and a stream of pushes spread over the catalog kept every
  // chunk decoded, ~115 MB at 10,000 branches, for as long as it lasted.
  return before.v1.etag !== after.v1.etag ? eventOf('updated', after, at) : undefined;
}

function eventOf(type: ChangeType, served: ServedWorker, at: string): ChangeEvent {
  return { type, id: served.record.id, version: served.record.version, commit: served.record.commit.oid, at };
}

function byId(events: ChangeEvent[]): ChangeEvent[] {
  return events.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
