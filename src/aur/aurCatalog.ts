// aurCatalogOf: the AUR RPC's view of one snapshot — every served worker as
// an AUR package record with its JSON already serialised, in Name order —
// built on first use and kept as long as the snapshot. A request then only
// filters entries and joins their bytes.

import type { WorkerRecord } from '../catalog/branchRecord.js';
import { perSnapshot } from '../catalog/perSnapshot.js';
import type { CatalogSnapshot } from '../catalog/snapshot.js';
import { stableIds } from './aurIds.js';
import { aurPackage, type AurMatchFields } from './aurRecord.js';

export interface AurEntry {
  readonly name: string;
  readonly pkgbase: string;
  readonly id: number;
  readonly packageBaseId: number;
  readonly searchJson: string;
  readonly infoJson: string;
  readonly match: AurMatchFields;
}

export interface AurCatalog {
  /** In Name order: every answer lists results by Name (aurweb promises no order; we do). */
  readonly entries: readonly AurEntry[];
  /** By lowercased Name: aurweb's `Name IN (…)` is case-insensitive under MySQL's collation. */
  readonly byName: ReadonlyMap<string, AurEntry>;
  /** Every Name in order, for suggest. */
  readonly names: readonly string[];
  /** Distinct package bases in order, for suggest-pkgbase. */
  readonly pkgbases: readonly string[];
}

// A refresh changes few workers: their serialised records are reused as long as the record and its IDs are.
const built = new WeakMap<WorkerRecord, AurEntry>();

export const aurCatalogOf = perSnapshot((snapshot: CatalogSnapshot): AurCatalog => buildAurCatalog([...snapshot.workers.values()].map((served) => served.record)));

export function buildAurCatalog(workers: readonly WorkerRecord[]): AurCatalog {
  const ids = stableIds('pkgname', workers.map((worker) => worker.id));
  const bases = workers.map(pkgbaseOf);
  const baseIds = stableIds('pkgbase', bases);
  const entries = workers.map((worker, at) => entryFor(worker, ids.get(worker.id)!, baseIds.get(bases[at]!)!));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byName = new Map<string, AurEntry>();
  for (const entry of entries) byName.set(entry.name.toLowerCase(), entry);
  const pkgbases = [...new Set(entries.map((entry) => entry.pkgbase))].sort();
  return { entries, byName, names: entries.map((entry) => entry.name), pkgbases };
}

/** The entry built for the record knows it: a restored record's .SRCINFO is read from disk (see SavedDetails). */
function pkgbaseOf(worker: WorkerRecord): string {
  return built.get(worker)?.pkgbase ?? worker.srcinfo.pkgbase.name;
}

function entryFor(worker: WorkerRecord, id: number, packageBaseId: number): AurEntry {
  const previous = built.get(worker);
  if (previous !== undefined && previous.id === id && previous.packageBaseId === packageBaseId) return previous;
  const pkg = aurPackage(worker, { id, packageBaseId });
  const entry: AurEntry = {
    name: pkg.name,
    pkgbase: pkg.pkgbase,
    id,
    packageBaseId,
    searchJson: JSON.stringify(pkg.search),
    infoJson: JSON.stringify(pkg.info),
    match: pkg.match,
  };
  built.set(worker, entry);
  return entry;
}
