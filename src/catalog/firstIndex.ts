// firstIndex: the index a start serves first — from the saved index when
// there is a usable one (every branch whose tip is still the saved oid is
// reused with its prebuilt responses; only moved or new branches are read
// from git; deleted ones drop out), else from git alone — and the saver that
// keeps the saved index following every swap from then on. A large catalog
// with no usable saved index is indexed in a child process that saves it
// (see indexInChildProcess), and then loaded from that file like any other.

import type { GitLogger } from '../git/gitLogger.js';
import { readRepositoryRefs } from '../git/readRepositoryRefs.js';
import type { CatalogRepository } from '../git/types.js';
import { buildSnapshot } from './buildSnapshot.js';
import { childIndexRequest, indexInChildProcess, type ChildIndexResult } from './indexInChildProcess.js';
import { IndexSaver, type AdoptTarget } from './indexSaver.js';
import { loadSavedIndex, type LoadSavedIndexOptions } from './loadSavedIndex.js';
import { repositoryIdentity } from './savedIndex.js';
import { savedIndexPath } from './savedIndexPath.js';
import type { CatalogSnapshot } from './snapshot.js';

export interface FirstIndexOptions {
  readonly repo: CatalogRepository;
  readonly gitUrl: string;
  /** package.json's version: a saved index from another version is not used. */
  readonly serviceVersion: string;
  /** The folder of saved indexes (one file per repository and clone URL). */
  readonly savedIndexDir: string;
  readonly logger: GitLogger;
  readonly saveDelayMs?: number;
  /** Called whenever the saved records' decoded parsed fields were let go, garbage from then on (see SavedDetails). */
  readonly onDetailsReleased?: () => void;
  /**
   * Called when a restored file or body could not be read from the saved
   * index it came from (damaged from outside since it was loaded or read
   * back; see OpenSavedFile): index from git and serve that.
   */
  readonly onSavedIndexDamaged?: (error: Error) => void;
  /**
   * From this many branches on, an index from git alone (no usable saved
   * index) runs in a child process, which saves it for this one to load;
   * absent: always here. Should the child fail, the index is made here.
   */
  readonly childProcessFromBranches?: number;
  /** Runs the child (indexInChildProcess); for tests, which make it fail to check the fallback here. */
  readonly indexInChild?: typeof indexInChildProcess;
  /** Where the saver serves a saved snapshot read back from its file (see IndexSaver); absent: never. */
  readonly adopt?: AdoptTarget;
}

/** Below this many branches, what indexing leaves resident is a few MB: not worth a process (~0.3 s to start). */
export const CHILD_PROCESS_FROM_BRANCHES = 1000;

export interface FirstIndex {
  readonly snapshot: CatalogSnapshot;
  readonly from: 'saved index' | 'git';
  /** Branches served from the saved index as they were. */
  readonly reusedBranches: number;
  /** Branches read from git: all of them without a saved index. */
  readonly indexedBranches: number;
  /** What the child process did, when it made the index (see childProcessFromBranches). */
  readonly childProcess: ChildIndexResult | undefined;
  /** Loading and verifying the saved index, when there was one. */
  readonly savedIndexMs: number | undefined;
  /** Schedule every snapshot served from now on (start with `snapshot`); close at shutdown. */
  readonly saver: IndexSaver;
  /**
   * Reads and verifies the saved records' parsed fields in the background
   * (they are decoded when read); a no-op without a saved index. Resolves
   * with a snapshot indexed from git when they turned out damaged (swap it
   * in), else with undefined. Never rejects.
   */
  verifyDetails(): Promise<CatalogSnapshot | undefined>;
}

export async function firstIndex(options: FirstIndexOptions): Promise<FirstIndex> {
  const { repo, gitUrl, serviceVersion, logger } = options;
  const repository = repositoryIdentity(repo);
  const file = savedIndexPath({ dir: options.savedIndexDir, repository, gitUrl });
  const loadOptions: LoadSavedIndexOptions = { file, serviceVersion, repository, gitUrl, logger, onDetailsReleased: options.onDetailsReleased, onDamaged: options.onSavedIndexDamaged };
  let started = performance.now();
  // The refs are read while the saved index loads: both are mostly waiting on the disk.
  const refsRead = readRepositoryRefs(repo);
  let saved = await loadSavedIndex(loadOptions).catch(async (error: unknown) => {
    await refsRead.catch(() => undefined);
    throw error;
  });
  let refs = await refsRead;
  let childProcess: ChildIndexResult | undefined;
  const threshold = options.childProcessFromBranches;
  if (saved.kind !== 'loaded' && threshold !== undefined && refs.branches.length >= threshold) {
    childProcess = await (options.indexInChild ?? indexInChildProcess)(childIndexRequest(repo, { gitUrl, serviceVersion, repository, file })).catch((error: unknown) => {
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'indexing in a child process failed; indexing here instead');
      return undefined;
    });
    if (childProcess !== undefined) {
      started = performance.now();
      saved = await loadSavedIndex(loadOptions);
      // Read again: a local repository's branches may have moved while the child indexed.
      refs = await readRepositoryRefs(repo);
      if (saved.kind !== 'loaded') {
        logger.warn({ file }, 'the saved index the child process wrote cannot be used; indexing here instead');
        childProcess = undefined;
      }
    }
  }
  const savedIndexMs = saved.kind === 'loaded' ? performance.now() - started : undefined;
  const previous = saved.kind === 'loaded' ? saved.snapshot : undefined;
  const snapshot = await buildSnapshot({ repo, gitUrl, previous, refs });

  let reusedBranches = 0;
  for (const [name, record] of snapshot.branches) if (record === previous?.branches.get(name)) reusedBranches += 1;
  const saver = new IndexSaver({
    file,
    serviceVersion,
    repository,
    gitUrl,
    logger,
    delayMs: options.saveDelayMs,
    // Every saved branch reused and none added or dropped: the file already holds this snapshot.
    saved: previous !== undefined && reusedBranches === snapshot.branches.size && reusedBranches === previous.branches.size ? snapshot : undefined,
    // The first save after this start copies what is still served as it was loaded.
    loaded: saved.kind === 'loaded' ? saved.layout : undefined,
    adopt: options.adopt,
    onDetailsReleased: options.onDetailsReleased,
    onDamaged: options.onSavedIndexDamaged,
  });
  // What the child saved was read from git at this start, as much as what was indexed here.
  const fromGit = previous === undefined || childProcess !== undefined;
  return {
    snapshot,
    from: fromGit ? 'git' : 'saved index',
    reusedBranches: fromGit ? 0 : reusedBranches,
    indexedBranches: fromGit ? snapshot.branches.size : snapshot.branches.size - reusedBranches,
    childProcess,
    savedIndexMs,
    saver,
    async verifyDetails() {
      if (saved.kind !== 'loaded') return undefined;
      try {
        await saved.verifyDetails();
        return undefined;
      } catch (error) {
        logger.error({ file, err: error instanceof Error ? error.message : String(error) }, 'the saved records\' parsed fields are unusable; indexing every branch from git');
        // Every saved record goes: none is reused.
        return buildSnapshot({ repo, gitUrl });
      }
    },
  };
}
