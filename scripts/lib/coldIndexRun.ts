// coldIndexRun: one cold index in a fresh process, for measure-cold-index.ts.
// Nothing is warm here (no module-level caches, no isomorphic-git cache, no
// PKGBUILD reader loaded), which is what a service start sees.
//
//   node --import tsx scripts/lib/coldIndexRun.ts '{"source":…,"cacheDir":…,"mode":"total"|"breakdown"}'
//
// `total`: openCatalogRepository + buildSnapshot, as src/server.ts runs them.
// `breakdown`: the same work phase by phase (refs, reading objects, the
// PKGBUILD reader, parsing and validation, serving), each timed on its own.
// Prints one JSON line of milliseconds on stdout.

import { createHash } from 'node:crypto';
import { assembleSnapshot } from '../../src/catalog/assembleSnapshot.js';
import type { BranchRecord } from '../../src/catalog/branchRecord.js';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { indexBranchFiles, SERVED_FILES } from '../../src/catalog/indexBranch.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { openPackObjectReader } from '../../src/git/packObjectReader.js';
import { readBranchFiles } from '../../src/git/readBranchFiles.js';
import { readRepositoryRefs } from '../../src/git/readRepositoryRefs.js';
import type { BranchFiles } from '../../src/git/types.js';
import { printSrcinfo } from '../../src/parse/pkgbuildSrcinfo.js';
import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';

export interface ColdIndexRunInput {
  readonly source: string;
  readonly cacheDir: string;
  readonly mode: 'total' | 'breakdown';
}

export interface ColdIndexRunResult {
  readonly mode: 'total' | 'breakdown';
  readonly workers: number;
  readonly branches: number;
  /** Milliseconds per phase; `total` holds open and index, `breakdown` the split. */
  readonly ms: Readonly<Record<string, number>>;
  /** SHA-256 of every problem and every served body: a faster reader must leave it unchanged. */
  readonly contentDigest: string;
  readonly rssMb: number;
}

async function run(input: ColdIndexRunInput): Promise<ColdIndexRunResult> {
  const ms: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await work();
    ms[name] = Math.round(performance.now() - started);
    return value;
  };
  const repo = await timed('open', () => openCatalogRepository({ source: input.source, cacheDir: input.cacheDir }));
  // Fixed, so that runs against a mirror on a different port still agree on every served body.
  const gitUrl = 'https://catalog.invalid/rbee-worker-catalog.git';
  if (input.mode === 'total') {
    const snapshot = await timed('index', () => buildSnapshot({ repo, gitUrl, now: () => new Date(0) }));
    return { mode: input.mode, workers: snapshot.workers.size, branches: snapshot.branches.size, ms, contentDigest: contentDigest(snapshot), rssMb: rss() };
  }

  const refs = await timed('refs', () => readRepositoryRefs(repo));
  const branches = refs.branches.filter((ref) => ref.name !== refs.defaultBranch);
  const read = await timed('readObjects', async () => {
    const objects = await openPackObjectReader(repo);
    const all: BranchFiles[] = [];
    for (const ref of branches) all.push(await readBranchFiles(repo, { commitOid: ref.oid, names: SERVED_FILES, objects }));
    return all;
  });
  const decoder = new TextDecoder();
  const pkgbuilds = read.map((files) => decoder.decode(files.files.get('PKGBUILD') ?? new Uint8Array()));
  await timed('pkgbuildReader', async () => {
    for (const text of pkgbuilds) await printSrcinfo(text);
  });
  // Parsing, validation and the reader again: the reader's share is subtracted below.
  const records = await timed('parseAndValidate', async () => {
    const all: BranchRecord[] = [];
    for (let index = 0; index < branches.length; index += 1) all.push(await indexBranchFiles(branches[index]!, read[index]!));
    return all;
  });
  ms.parseAndValidate = Math.max(0, (ms.parseAndValidate ?? 0) - (ms.pkgbuildReader ?? 0));
  // Serving: every record reused, so what is left is serialising responses and assembling.
  const previous = assembleSnapshot({ builtAt: new Date(0), defaultBranch: undefined, branches: new Map(records.map((record) => [record.name, record])), workers: new Map() });
  const snapshot = await timed('serve', () => buildSnapshot({ repo, gitUrl, refs, previous, now: () => new Date(0) }));
  return { mode: input.mode, workers: snapshot.workers.size, branches: snapshot.branches.size, ms, contentDigest: contentDigest(snapshot), rssMb: rss() };
}

function contentDigest(snapshot: CatalogSnapshot): string {
  const hash = createHash('sha256');
  for (const [name, branch] of snapshot.branches) hash.update(`${name}\0${branch.oid}\0${JSON.stringify(branch.problems)}\0`);
  for (const [id, worker] of snapshot.workers) {
    hash.update(`${id}\0`).update(worker.v1.body).update(worker.legacy.body);
    for (const [file, body] of worker.files) hash.update(`${file}\0`).update(body.body);
  }
  return hash.digest('hex');
}

function rss(): number {
  return Math.round(process.memoryUsage().rss / 1e6);
}

run(JSON.parse(process.argv[2] ?? '{}') as ColdIndexRunInput).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(`coldIndexRun: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
