// sharedStrings: a freshly indexed branch record whose strings are shared —
// one copy of each within the record, and of each short one across records.
// A record comes back from an indexer thread by structured clone, which
// copies every string afresh: the value a .SRCINFO entry and the package's
// fields hold becomes two strings, the homepage three, and every record has
// its own "depends", "x86_64" and "GPL-3.0-or-later". At 10,000 workers 46 MB
// of the heap's 64 MB of strings was duplicate content (heap snapshot, the
// synthetic catalog). The record keeps exactly its values; only which copy
// of a string it points at changes.
//
// The parsed parts are rebuilt (the record is fresh: nothing else holds it
// yet); file bytes, the commit and the problems are kept as they are.

import type { WorkerMetadata } from '../parse/metadata.js';
import type { Srcinfo, SrcinfoFields, SrcinfoSection } from '../parse/srcinfo.js';
import type { BranchRecord, WorkerRecord } from './branchRecord.js';

/** Longer strings are shared within a record only: across records they are mostly ids, oids and descriptions. */
const SHARED_ACROSS_RECORDS_MAX_LENGTH = 32;
/** Distinct short strings remembered before the table starts over (it then refills with what is still common). */
const TABLE_MAX_ENTRIES = 20_000;
/** Metadata is schema-checked JSON; deeper than this is kept as it is rather than walked. */
const MAX_DEPTH = 16;

type Share = (text: string) => string;

let acrossRecords = new Map<string, string>();

export function shareBranchStrings(record: BranchRecord): BranchRecord {
  // A branch that serves nothing holds only its problems: nothing worth the walk.
  if (record.workers.length === 0) return record;
  const withinRecord = new Map<string, string>();
  const share: Share = (text) => {
    const known = withinRecord.get(text);
    if (known !== undefined) return known;
    let kept = text;
    if (text.length <= SHARED_ACROSS_RECORDS_MAX_LENGTH) {
      const common = acrossRecords.get(text);
      if (common !== undefined) kept = common;
      else {
        if (acrossRecords.size >= TABLE_MAX_ENTRIES) acrossRecords = new Map();
        acrossRecords.set(text, text);
      }
    }
    withinRecord.set(text, kept);
    return kept;
  };
  return { ...record, workers: record.workers.map((worker) => shareWorker(worker, share)) };
}

function shareWorker(worker: WorkerRecord, share: Share): WorkerRecord {
  // Spread first: the record keeps its keys in their order.
  return {
    ...worker,
    id: share(worker.id),
    branch: share(worker.branch),
    version: share(worker.version),
    metadata: shareJson(worker.metadata, share, 0) as WorkerMetadata,
    srcinfo: shareSrcinfo(worker.srcinfo, share),
    fields: shareFields(worker.fields, share),
  };
}

function shareSrcinfo(srcinfo: Srcinfo, share: Share): Srcinfo {
  // Frozen, as parseSrcinfo hands it out.
  return Object.freeze({ pkgbase: shareSection(srcinfo.pkgbase, share), packages: Object.freeze(srcinfo.packages.map((section) => shareSection(section, share))) });
}

function shareSection(section: SrcinfoSection, share: Share): SrcinfoSection {
  const entries = section.entries.map((entry) => ({ key: share(entry.key), value: share(entry.value), line: entry.line }));
  return Object.freeze({ name: share(section.name), line: section.line, entries: Object.freeze(entries) });
}

function shareFields(fields: SrcinfoFields, share: Share): SrcinfoFields {
  const shared = new Map<string, readonly string[]>();
  for (const [key, values] of fields) shared.set(share(key), values.map(share));
  return shared;
}

function shareJson(value: unknown, share: Share, depth: number): unknown {
  if (typeof value === 'string') return share(value);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => shareJson(item, share, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const shared: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = shareJson((value as Record<string, unknown>)[key], share, depth + 1);
    // A `__proto__` key in hostile metadata stays an own data property, as JSON.parse made it.
    if (key === '__proto__') Object.defineProperty(shared, key, { value: item, enumerable: true, writable: true, configurable: true });
    else shared[key] = item;
  }
  return shared;
}
