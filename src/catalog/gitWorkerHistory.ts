// gitWorkerHistory: the WorkerHistory of a catalog repository. A branch's
// versions come from walking its commits; each commit's version from its
// .SRCINFO, and whether the newest commit of each version validates from the
// very indexing the service serves from (indexBranch). Everything is kept by
// oid in bounded caches — git objects never change — so a second request
// reads nothing and a push costs only its new commits.

import { snapshotTarball } from '../archive/snapshotTarball.js';
import { UnsafeArchivePathError } from '../archive/unsafeArchivePathError.js';
import { isMissingObject } from '../git/isMissingObject.js';
import { readBranchHistory, type HistoryCommit } from '../git/readBranchHistory.js';
import { readCommitTree } from '../git/readCommitTree.js';
import { readTopLevelFile } from '../git/readTopLevelFile.js';
import { TreeTooLargeError } from '../git/treeTooLargeError.js';
import type { CatalogRepository } from '../git/types.js';
import { BoundedCache } from './boundedCache.js';
import { indexBranch } from './indexBranch.js';
import { srcinfoVersion } from './srcinfoVersion.js';
import type { HistoryFailure, HistoryFile, HistoryReason, SnapshotArchive, WorkerHistory, WorkerVersion, WorkerVersions } from './workerHistory.js';

export interface GitWorkerHistoryOptions {
  readonly repo: CatalogRepository;
  /** The most commits one walk reads; the answer says when history was cut. Default 1,000. */
  readonly maxCommits?: number;
  /** Bounds of a snapshot archive's tree. Defaults: 2,000 entries, 32 MiB of blobs, 8 levels. */
  readonly archiveLimits?: { readonly maxEntries?: number; readonly maxBytes?: number; readonly maxDepth?: number };
  /** Total bytes of built archives kept. Default 64 MiB. */
  readonly archiveCacheBytes?: number;
}

interface Validity {
  readonly valid: boolean;
  readonly problems: readonly string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function gitWorkerHistory(options: GitWorkerHistoryOptions): WorkerHistory {
  const { repo } = options;
  const maxCommits = options.maxCommits ?? 1000;
  const limits = { maxEntries: 2000, maxBytes: 32 * 1024 * 1024, maxDepth: 8, ...options.archiveLimits };

  const commits = new BoundedCache<string, HistoryCommit>({ maxEntries: 50_000 });
  // By branch and commit: which package a .SRCINFO serves depends on the branch name.
  const commitVersions = new BoundedCache<string, string | null>({ maxEntries: 50_000 });
  const blobVersions = new BoundedCache<string, string | null>({ maxEntries: 10_000 });
  const validities = new BoundedCache<string, Validity>({ maxEntries: 10_000 });
  const answers = new BoundedCache<string, Promise<WorkerVersions>>({ maxEntries: 1_000 });
  const archives = new BoundedCache<string, SnapshotArchive | HistoryFailure>({
    maxEntries: 1_000,
    maxWeight: options.archiveCacheBytes ?? 64 * 1024 * 1024,
    weigh: (value) => ('bytes' in value ? value.bytes.byteLength : 64),
  });
  const building = new Map<string, Promise<SnapshotArchive | HistoryFailure>>();

  /** The commit's version; null when it has none; undefined when its tree is missing. */
  const versionOf = async (branch: string, commit: HistoryCommit): Promise<string | null | undefined> => {
    const key = `${branch}\0${commit.oid}`;
    const known = commitVersions.get(key);
    if (known !== undefined) return known;
    let file;
    try {
      file = await readTopLevelFile(repo, { oid: commit.treeOid, name: '.SRCINFO' });
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
    let version: string | null = null;
    if (file !== undefined) {
      const blobKey = `${branch}\0${file.oid}`;
      const cached = blobVersions.get(blobKey);
      version = cached !== undefined ? cached : decodedVersion(file.bytes, branch);
      blobVersions.set(blobKey, version);
    }
    commitVersions.set(key, version);
    return version;
  };

  const validityOf = async (branch: string, oid: string): Promise<Validity> => {
    const key = `${branch}\0${oid}`;
    const known = validities.get(key);
    if (known !== undefined) return known;
    const record = await indexBranch(repo, { name: branch, oid });
    const errors = record.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.code);
    const validity = { valid: record.workers.length > 0, problems: record.workers.length > 0 ? [] : [...new Set(errors)] };
    validities.set(key, validity);
    return validity;
  };

  const walk = async (branch: string, tipOid: string): Promise<WorkerVersions> => {
    const history = await readBranchHistory(repo, { tipOid, maxCommits, commits });
    let reason: HistoryReason | undefined = history.reason;
    const versions: WorkerVersion[] = [];
    const seen = new Set<string>();
    let unversioned = 0;
    for (const commit of history.commits) {
      const version = await versionOf(branch, commit);
      // A missing tree says more than a cut history; a shallow cut explains it already.
      if (version === undefined && reason !== 'HISTORY_SHALLOW') reason = 'HISTORY_MISSING_OBJECTS';
      if (version === undefined || version === null) {
        unversioned += 1;
        continue;
      }
      if (seen.has(version)) continue;
      seen.add(version);
      versions.push({ version, commit: commit.oid, time: commit.time, ...(await validityOf(branch, commit.oid)) });
    }
    return { branch, tip: tipOid, versions, commitsRead: history.commits.length, unversionedCommits: unversioned, maxCommits, complete: reason === undefined, reason };
  };

  const buildArchive = async (commitOid: string, folder: string): Promise<SnapshotArchive | HistoryFailure> => {
    try {
      const tree = await readCommitTree(repo, { commitOid, ...limits });
      const { bytes, sha256 } = await snapshotTarball({ folder, time: tree.time, entries: tree.entries });
      return { bytes, sha256, commit: commitOid, folder, time: tree.time };
    } catch (error) {
      if (error instanceof TreeTooLargeError) return { kind: 'too-large', detail: `at most ${error.data.max} ${error.data.limit}` };
      if (error instanceof UnsafeArchivePathError) return { kind: 'unsafe-path', detail: error.data.path };
      if (isMissingObject(error)) return { kind: 'missing-objects' };
      throw error;
    }
  };

  return {
    versions({ branch, tipOid }) {
      const key = `${branch}\0${tipOid}`;
      const known = answers.get(key);
      if (known !== undefined) return known;
      const answer = walk(branch, tipOid);
      answers.set(key, answer);
      // Missing objects may still arrive (an interrupted fetch resumed): such answers are not kept.
      answer.then((value) => value.reason === 'HISTORY_MISSING_OBJECTS' && answers.delete(key), () => answers.delete(key));
      return answer;
    },

    async file({ commitOid, name }): Promise<HistoryFile | undefined | HistoryFailure> {
      try {
        return await readTopLevelFile(repo, { oid: commitOid, name });
      } catch (error) {
        if (isMissingObject(error)) return { kind: 'missing-objects' };
        throw error;
      }
    },

    async snapshot({ commitOid, folder }) {
      const key = `${folder}\0${commitOid}`;
      const known = archives.get(key);
      if (known !== undefined) return known;
      // Concurrent requests for one archive share one build.
      let pending = building.get(key);
      if (pending === undefined) {
        pending = buildArchive(commitOid, folder).finally(() => building.delete(key));
        building.set(key, pending);
      }
      const archive = await pending;
      if (!('kind' in archive && archive.kind === 'missing-objects')) archives.set(key, archive);
      return archive;
    },
  };
}

function decodedVersion(bytes: Uint8Array, branch: string): string | null {
  try {
    return srcinfoVersion(utf8.decode(bytes), branch) ?? null;
  } catch {
    return null;
  }
}
