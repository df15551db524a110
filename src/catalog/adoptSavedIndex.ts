// adoptSavedIndex: the snapshot a save just wrote, read back from the file:
// the same branches, tips and bytes, in the form a restart holds them. A
// service serving it in place of the one it saved (IndexSaver's `adopt`)
// lets go of what every push since the start left behind. A record indexed
// from git holds its parsed fields on the heap (~20 KB, against ~2 KB for a
// restored one) and its bytes in buffers of its own, where a restored
// record's stay in the file: at 10,000 branches the service settled 49 MB
// higher after 1,000 pushes to as many branches (when the blob part was
// still in memory, holding each branch's old bytes too), and would have kept
// growing until every branch had been pushed once; read back after them, 6 MB.
//
// It costs a load of the file's structure (at 10,000 branches 0.2-0.5 s,
// paused between chunks, and for a moment the old records beside the new
// ones), so a save adopts only once enough branches were indexed since the
// last load (worthAdopting), and only while the snapshot it saved is still
// the one served. Rebasing a read-back onto a snapshot pushes swapped in
// meanwhile was tried twice and dropped: under a stream of 1,000 pushes it
// raised the RSS by 70 MB and more for a while and settled no lower.

import type { GitLogger } from '../git/gitLogger.js';
import { assembleSnapshot } from './assembleSnapshot.js';
import type { ExpectedSavedIndex } from './decodeSavedIndex.js';
import type { SavedLayout } from './encodeSavedIndex.js';
import { loadSavedIndex } from './loadSavedIndex.js';
import { isRestoredBranch } from './restoreSavedSnapshot.js';
import { SavedIndexError } from './savedIndexError.js';
import type { CatalogSnapshot } from './snapshot.js';

export interface AdoptSavedIndexOptions extends ExpectedSavedIndex {
  readonly file: string;
  readonly logger: GitLogger;
  /** The snapshot the file was written from. */
  readonly saved: CatalogSnapshot;
  /** Runs between chunks, so requests are served while the file is read. */
  readonly pause: () => Promise<void>;
  /** Called whenever the adopted records' decoded parsed fields were let go (see SavedDetails). */
  readonly onDetailsReleased?: () => void;
  /** Hears of a failed read from the file once adopted (see OpenSavedFile). */
  readonly onDamaged?: (error: Error) => void;
}

export interface AdoptedSavedIndex {
  /** `saved` as the file restores it: built at the same time, serving the same bytes. */
  readonly snapshot: CatalogSnapshot;
  /** The file's layout, with the adopted records: the next save copies the chunks they still fill. */
  readonly layout: SavedLayout;
}

/** Adopt once at least this many branches, and a hundredth of them, were indexed from git since the last load. */
export const ADOPT_FROM_INDEXED_BRANCHES = 16;

/**
 * The file's snapshot, checked against `saved` (the same tips) and with every
 * parsed field verified, so a damaged file is never served; undefined when
 * it does not load or does not match (the load logs why).
 */
export async function adoptSavedIndex(options: AdoptSavedIndexOptions): Promise<AdoptedSavedIndex | undefined> {
  const { saved, pause, logger } = options;
  const loaded = await loadSavedIndex(options);
  if (loaded.kind !== 'loaded') return undefined;
  if (loaded.header.snapshotId !== saved.id) {
    logger.warn({ file: options.file, saved: saved.id, found: loaded.header.snapshotId }, 'the saved index holds another snapshot than the one just saved; not adopting it');
    return undefined;
  }
  try {
    await loaded.verifyDetails(pause);
  } catch (error) {
    // A damaged file was logged and deleted by verifyDetails; anything else is logged here.
    if (!(error instanceof SavedIndexError)) logger.error({ file: options.file, err: error instanceof Error ? error.message : String(error) }, 'could not read back the saved index; not adopting it');
    return undefined;
  }
  const { branches, workers } = loaded.snapshot;
  return { snapshot: assembleSnapshot({ builtAt: saved.builtAt, defaultBranch: saved.defaultBranch, branches, workers }), layout: loaded.layout };
}

/** Branches of `snapshot` indexed from git by this process rather than restored from a saved index. */
export function indexedBranches(snapshot: CatalogSnapshot): number {
  let indexed = 0;
  for (const record of snapshot.branches.values()) if (!isRestoredBranch(record)) indexed += 1;
  return indexed;
}

/** Whether what adopting `indexed` branches gives back is worth re-reading a file of `branches`. */
export function worthAdopting(indexed: number, branches: number, fromBranches = ADOPT_FROM_INDEXED_BRANCHES): boolean {
  return indexed >= fromBranches && indexed * 100 >= branches;
}
