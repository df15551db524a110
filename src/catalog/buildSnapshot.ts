// buildSnapshot: reads every ref once (or takes the refs it is given) and
// indexes each worker branch, reusing the previous snapshot's record of any
// branch whose tip did not move and keeping the last good version of a branch
// whose new tip fails. Start-up and full refreshes use it; a push uses
// patchSnapshot, whose cost follows the change.

import { availableParallelism } from 'node:os';
import { packObjectReaderFrom, type ObjectReader } from '../git/packObjectReader.js';
import { readPackFiles } from '../git/readPackFiles.js';
import { readRepositoryRefs } from '../git/readRepositoryRefs.js';
import type { BranchFiles, BranchRef, CatalogRepository, RepositoryRefs } from '../git/types.js';
import { assembleSnapshot, servedWorkerFor } from './assembleSnapshot.js';
import { createBranchIndexerPool, type BranchIndexerPool } from './branchIndexerPool.js';
import type { BranchRecord } from './branchRecord.js';
import { indexBranch, indexBranchFiles } from './indexBranch.js';
import { keepLastGood } from './keepLastGood.js';
import { mapInRanges } from './mapInRanges.js';
import type { CatalogSnapshot, ServedWorker } from './snapshot.js';

export interface BuildSnapshotOptions {
  readonly repo: CatalogRepository;
  /** The clone URL advertised to clients. */
  readonly gitUrl: string;
  /** The snapshot being replaced; its unchanged branches are reused as they are. */
  readonly previous?: CatalogSnapshot;
  /** The refs to index; read from the repository when absent. */
  readonly refs?: RepositoryRefs;
  readonly now?: () => Date;
}

/**
 * Below this many branches to read, isomorphic-git reads them (a few ms
 * each); from it on, reading every pack once into an ObjectReader is cheaper.
 */
const PACK_READER_FROM_BRANCHES = 16;
/** Starting indexer threads costs a few hundred ms; worth it from about this many branches. */
const INDEXER_POOL_FROM_BRANCHES = 256;
/** Branches being indexed at once: enough to keep the indexer threads busy, few enough to bound memory. */
const BRANCHES_IN_FLIGHT = 64;

export async function buildSnapshot(options: BuildSnapshotOptions): Promise<CatalogSnapshot> {
  const { repo, gitUrl, previous, now = () => new Date() } = options;
  const refs = options.refs ?? await readRepositoryRefs(repo);
  const defaultBranch = chooseDefaultBranch(refs);
  const sorted = [...refs.branches].sort(byName).filter((ref) => ref.name !== defaultBranch?.name);
  const reused = (ref: BranchRef): BranchRecord | undefined => {
    const before = previous?.branches.get(ref.name);
    return before !== undefined && before.oid === ref.oid ? before : undefined;
  };
  const toRead = sorted.filter((ref) => reused(ref) === undefined).length;
  if (previous !== undefined && toRead === 0 && sorted.length === previous.branches.size) {
    // Nothing moved, came or went (a warm restart, a reconcile pass that finds nothing new): every
    // record and answer would be the previous one, so its maps are taken whole (~50 ms at 10,000).
    return assembleSnapshot({ builtAt: now(), defaultBranch, branches: previous.branches, workers: previous.workers });
  }
  const pooled = toRead >= INDEXER_POOL_FROM_BRANCHES;
  // All live for this build only: the packs and threads they hold go with it.
  // Shared with the threads, the packs are read once for every reader.
  const packs = toRead >= PACK_READER_FROM_BRANCHES ? await readPackFiles({ fs: repo.fs, gitdir: repo.gitdir, shared: pooled }) : undefined;
  const indexers: BranchIndexerPool | undefined = pooled ? createBranchIndexerPool({ threads: availableParallelism(), packs }) : undefined;
  // This thread's reader: every branch below the pool's threshold, above it only those a failed thread leaves.
  let ownObjects: ObjectReader | undefined;
  const objects = (): ObjectReader | undefined => (packs === undefined ? undefined : (ownObjects ??= packObjectReaderFrom(packs)));

  let built: Array<{ record: BranchRecord; served: ServedWorker[] }>;
  try {
    // A thread that cannot start or dies costs speed, not the index: the branch is indexed here instead.
    const indexFiles = indexers === undefined ? undefined : (ref: BranchRef, files: BranchFiles) => indexers.index(ref, files).catch(() => indexBranchFiles(ref, files));
    const indexOne = async (ref: BranchRef, lane: number): Promise<BranchRecord> => {
      if (indexers === undefined) return indexBranch(repo, ref, { objects: objects() });
      let record: BranchRecord | undefined;
      try {
        record = await indexers.read(ref, lane);
      } catch {
        return indexBranch(repo, ref, { objects: objects(), indexFiles });
      }
      // The packs could not serve it (a loose object, say): read through isomorphic-git, as indexBranch with a reader would.
      return record ?? indexBranch(repo, ref, { indexFiles });
    };
    const lanes = indexers?.threads ?? 1;
    built = await mapInRanges(sorted, { lanes, perLane: Math.ceil(BRANCHES_IN_FLIGHT / lanes) }, async (ref, _index, lane) => {
      const record = reused(ref) ?? keepLastGood(await indexOne(ref, lane), previous?.branches.get(ref.name));
      // Served as each record arrives, while the threads work on the next ones.
      return { record, served: record.workers.map((worker) => servedWorkerFor(worker, record, previous?.workers.get(worker.id), gitUrl)) };
    });
  } finally {
    await indexers?.close();
  }

  const branches = new Map<string, BranchRecord>();
  const workers = new Map<string, ServedWorker>();
  for (const { record, served } of built) {
    branches.set(record.name, record);
    record.workers.forEach((worker, index) => workers.set(worker.id, served[index]!));
  }
  return assembleSnapshot({ builtAt: now(), defaultBranch, branches, workers });
}

/** HEAD's branch; else `main` or `master` when HEAD does not resolve. */
function chooseDefaultBranch(refs: RepositoryRefs): BranchRef | undefined {
  const byName = (name: string | undefined): BranchRef | undefined => refs.branches.find((ref) => ref.name === name);
  return byName(refs.defaultBranch) ?? byName('main') ?? byName('master');
}

function byName(a: BranchRef, b: BranchRef): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
