// buildSnapshot: reads every ref once, indexes each worker branch (reusing
// the previous snapshot's record of any branch whose tip did not move) and
// serialises every response up front.

import { createHash } from 'node:crypto';
import { readRepositoryRefs } from '../git/readRepositoryRefs.js';
import type { BranchRef, CatalogRepository, RepositoryRefs } from '../git/types.js';
import type { BranchRecord } from './branchRecord.js';
import { fileBody, jsonBody, jsonListBody, type CachedBody } from './cachedBody.js';
import { cloneInfo } from './cloneInfo.js';
import { indexBranch } from './indexBranch.js';
import { legacyEntry } from './legacyEntry.js';
import type { CatalogSnapshot, ServedWorker } from './snapshot.js';
import { v1Entry } from './v1Entry.js';

export interface BuildSnapshotOptions {
  readonly repo: CatalogRepository;
  /** The clone URL advertised to clients. */
  readonly gitUrl: string;
  /** The snapshot being replaced; its unchanged branches are reused as they are. */
  readonly previous?: CatalogSnapshot;
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
  const refs = await readRepositoryRefs(repo);
  const defaultBranch = chooseDefaultBranch(refs);

  const branches = new Map<string, BranchRecord>();
  const workers = new Map<string, ServedWorker>();
  for (const ref of refs.branches) {
    if (ref.name === defaultBranch?.name) continue;
    const reused = previous?.branches.get(ref.name);
    const record = reused !== undefined && reused.oid === ref.oid ? reused : await indexBranch(repo, ref);
    branches.set(ref.name, record);
    for (const worker of record.workers) {
      const previousServed = previous?.workers.get(worker.id);
      workers.set(worker.id, previousServed?.record === worker ? previousServed : serve(worker, gitUrl));
    }
  }
  const sortedWorkers = new Map([...workers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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

function serve(worker: ServedWorker['record'], gitUrl: string): ServedWorker {
  const files = new Map<string, CachedBody>();
  for (const [name, file] of worker.files) files.set(name, fileBody(file, FILE_TYPES[name] ?? 'application/octet-stream'));
  return {
    record: worker,
    legacy: jsonBody(legacyEntry(worker)),
    v1: jsonBody(v1Entry(worker, gitUrl)),
    cloneUrl: jsonBody(cloneInfo(gitUrl, worker.branch)),
    files,
  };
}

function problemReport(branches: ReadonlyMap<string, BranchRecord>): unknown {
  const withProblems = [...branches.values()]
    .filter((branch) => branch.problems.length > 0)
    .map((branch) => ({ branch: branch.name, commit: branch.oid, served: branch.workers.length > 0, problems: branch.problems }));
  return { branches: withProblems, total: withProblems.length };
}

function snapshotId(refs: RepositoryRefs): string {
  const hash = createHash('sha256');
  for (const ref of refs.branches) hash.update(`${ref.name} ${ref.oid}\n`);
  return hash.digest('hex').slice(0, 16);
}
