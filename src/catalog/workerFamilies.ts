// workerFamilies: which served workers are variants of one worker family
// (e.g. llm-worker-rbee → its cpu, cuda, metal, rocm and premium builds),
// indexed once per snapshot so resolving a family costs a lookup, not a scan.
//
// A worker belongs to the family its metadata.json names as `implementation`.
// A worker that names none belongs to `<family>` when its id is
// `<family>-<worker_type>` (llm-worker-rbee-cuda with worker_type cuda), the
// naming the catalog uses; a declared implementation always wins over the id.

import type { WorkerRecord } from './branchRecord.js';
import { perObject } from './perObject.js';
import { perSnapshot } from './perSnapshot.js';
import type { CatalogSnapshot, ServedWorker } from './snapshot.js';

/** Family name → its served workers, in id order. */
export type WorkerFamilies = ReadonlyMap<string, readonly ServedWorker[]>;

export const workerFamilies: (snapshot: CatalogSnapshot) => WorkerFamilies = perSnapshot((snapshot) => {
  const families = new Map<string, ServedWorker[]>();
  // snapshot.workers is in id order, so every family's list is too.
  for (const served of snapshot.workers.values()) {
    const family = familyOf(served);
    if (family === undefined) continue;
    const members = families.get(family);
    if (members === undefined) families.set(family, [served]);
    else members.push(served);
  }
  return families;
});

/** The family a worker belongs to, if any. */
export function familyOf(served: ServedWorker): string | undefined {
  return familyOfRecord(served.record);
}

// Kept with the record: the index is rebuilt for every snapshot, and a restored record's metadata is read from disk.
const familyOfRecord = perObject((record: WorkerRecord): string | undefined => {
  const { id, metadata } = record;
  if (metadata.implementation !== undefined) return metadata.implementation;
  const suffix = `-${metadata.worker_type}`;
  return id.endsWith(suffix) && id.length > suffix.length ? id.slice(0, -suffix.length) : undefined;
});
