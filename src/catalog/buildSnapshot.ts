// buildSnapshot: reads every ref once (or takes the refs it is given),
// indexes each worker branch (reusing the previous snapshot's record of any
// branch whose tip did not move, and keeping the last good version of a branch
// whose new tip fails) and serialises every response up front.

import { createHash } from 'node:crypto';
import { readRepositoryRefs } from '../git/readRepositoryRefs.js';
import type { BranchRef, CatalogRepository, RepositoryRefs } from '../git/types.js';
import type { BranchRecord, RejectedCommit } from './branchRecord.js';
import { fileBody, jsonBody, jsonListBody, type CachedBody } from './cachedBody.js';
import { cloneInfo } from './cloneInfo.js';
import { indexBranch } from './indexBranch.js';
import { keepLastGood } from './keepLastGood.js';
import { legacyEntry } from './legacyEntry.js';
import type { CatalogSnapshot, ServedWorker } from './snapshot.js';
import { v1Entry } from './v1Entry.js';

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

const FILE_TYPES: Readonly<Record<string, string>> = {
  PKGBUILD: 'text/plain; charset=utf-8',
  '.SRCINFO': 'text/plain; charset=utf-8',
  'metadata.json': 'application/json; charset=utf-8',
  'README.md': 'text/markdown; charset=utf-8',
};

export async function buildSnapshot(options: BuildSnapshotOptions): Promise<CatalogSnapshot> {
  const { repo, gitUrl, previous, now = () => new Date() } = options;
  const refs = options.refs ?? await readRepositoryRefs(repo);
  const defaultBranch = chooseDefaultBranch(refs);

  const branches = new Map<string, BranchRecord>();
  const workers = new Map<string, ServedWorker>();
  for (const ref of refs.branches) {
    if (ref.name === defaultBranch?.name) continue;
    const before = previous?.branches.get(ref.name);
    const record = before !== undefined && before.oid === ref.oid ? before : keepLastGood(await indexBranch(repo, ref), before);
    branches.set(ref.name, record);
    for (const worker of record.workers) {
      const previousServed = previous?.workers.get(worker.id);
      const unchanged = previousServed?.record === worker && previousServed.rejected === record.rejected;
      workers.set(worker.id, unchanged ? previousServed : serve(worker, record.rejected, gitUrl));
    }
  }
  const sortedWorkers = sortedById(workers);
  return {
    id: snapshotId(refs),
    builtAt: now(),
    defaultBranch,
    branches,
    workers: sortedWorkers,
    legacyList: jsonListBody('workers', [...sortedWorkers.values()].map((served) => served.legacy)),
    v1List: jsonListBody('workers', [...sortedWorkers.values()].map((served) => served.v1), { total: sortedWorkers.size }),
    problems: jsonBody(problemReport(branches)),
  };
}

/** HEAD's branch; else `main` or `master` when HEAD does not resolve. */
function chooseDefaultBranch(refs: RepositoryRefs): BranchRef | undefined {
  const byName = (name: string | undefined): BranchRef | undefined => refs.branches.find((ref) => ref.name === name);
  return byName(refs.defaultBranch) ?? byName('main') ?? byName('master');
}

function serve(worker: ServedWorker['record'], rejected: RejectedCommit | undefined, gitUrl: string): ServedWorker {
  const files = new Map<string, CachedBody>();
  for (const [name, file] of worker.files) files.set(name, fileBody(file, FILE_TYPES[name] ?? 'application/octet-stream'));
  return {
    record: worker,
    rejected,
    legacy: jsonBody(legacyEntry(worker)),
    v1: jsonBody(v1Entry(worker, gitUrl, rejected)),
    cloneUrl: jsonBody(cloneInfo(gitUrl, worker.branch)),
    files,
  };
}

/** Workers in id order. Branches arrive sorted and a worker's id is its branch, so the sort is usually skipped. */
function sortedById(workers: ReadonlyMap<string, ServedWorker>): ReadonlyMap<string, ServedWorker> {
  let previous: string | undefined;
  for (const id of workers.keys()) {
    if (previous !== undefined && previous >= id) {
      return new Map([...workers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    previous = id;
  }
  return workers;
}

function problemReport(branches: ReadonlyMap<string, BranchRecord>): unknown {
  const entries: unknown[] = [];
  for (const branch of branches.values()) {
    if (branch.rejected !== undefined) {
      // The newest commit is refused; an older good commit is what is served.
      entries.push({ branch: branch.name, commit: branch.rejected.oid, served: false, rejectedNewerCommit: true, servedCommit: branch.commit?.oid ?? null, problems: branch.rejected.problems });
    }
    if (branch.problems.length > 0) {
      entries.push({ branch: branch.name, commit: branch.commit?.oid ?? branch.oid, served: branch.workers.length > 0, rejectedNewerCommit: false, problems: branch.problems });
    }
  }
  return { branches: entries, total: entries.length };
}

function snapshotId(refs: RepositoryRefs): string {
  // One update of one string: per-ref updates cost more than the hashing itself at 10,000 refs.
  const lines = refs.branches.map((ref) => `${ref.name} ${ref.oid}\n`).join('');
  return createHash('sha256').update(lines).digest('hex').slice(0, 16);
}
