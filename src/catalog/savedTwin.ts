// savedTwin: the snapshot just saved, read back from the file it was saved
// to — the same branches, tips, bodies, ETags and dates, but with every
// record restored over the file (one buffer of blobs, parsed fields on disk;
// see SavedDetails) instead of as indexing made it. Swapped in for the
// original, it is what takes a start that indexed every branch from git down
// to the memory of a warm restart: at 10,000 branches the records as
// indexing leaves them (70,000 buffers, every parsed field on the heap) held
// ~240 MB more than restored ones.
//
// The file is loaded and verified as a restart would (every checksum,
// parsed fields included), so a twin is never built from bytes that are not
// what was written; anything unexpected gives no twin, and the original
// stays served.

import type { GitLogger } from '../git/gitLogger.js';
import { assembleSnapshot } from './assembleSnapshot.js';
import type { SavedLayout } from './encodeSavedIndex.js';
import { loadSavedIndex } from './loadSavedIndex.js';
import type { CatalogSnapshot } from './snapshot.js';

export interface SavedTwinOptions {
  readonly file: string;
  readonly serviceVersion: string;
  readonly repository: string;
  readonly gitUrl: string;
  readonly logger: GitLogger;
  /** The snapshot the file was saved from, and the layout that save gave it. */
  readonly saved: CatalogSnapshot;
  readonly layout: SavedLayout;
  /** Called whenever the twin's decoded parsed fields were let go (see SavedDetails). */
  readonly onDetailsReleased?: () => void;
}

export interface SavedTwin {
  readonly snapshot: CatalogSnapshot;
  /** The file's layout over the twin's records: the next save copies from it what is still served. */
  readonly layout: SavedLayout;
}

export async function loadSavedTwin(options: SavedTwinOptions): Promise<SavedTwin | undefined> {
  const { saved, layout, file, serviceVersion, repository, gitUrl, logger, onDetailsReleased } = options;
  const loaded = await loadSavedIndex({ file, serviceVersion, repository, gitUrl, logger, onDetailsReleased });
  // Another file (a second service on the same folder?) or one that failed a check (logged and deleted by the load).
  if (loaded.kind !== 'loaded' || loaded.layout.structureSha256 !== layout.structureSha256) return undefined;
  await loaded.verifyDetails();
  // Built as the original was: its date (the lists' Last-Modified) and default branch.
  const snapshot = assembleSnapshot({ builtAt: saved.builtAt, defaultBranch: saved.defaultBranch, branches: loaded.snapshot.branches, workers: loaded.snapshot.workers });
  if (snapshot.id !== saved.id || snapshot.workers.size !== saved.workers.size) return undefined;
  return { snapshot, layout: loaded.layout };
}
