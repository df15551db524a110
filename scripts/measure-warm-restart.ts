// measure-warm-restart: how long a restart takes from the saved index, and
// where the time goes, at 1,000 and 10,000 branches (issue 6: ≤ 0.5 s at
// 10,000).
//
//   npx tsx scripts/measure-warm-restart.ts                       # 1,000 and 10,000 branches, 3 restarts each
//   npx tsx scripts/measure-warm-restart.ts --sizes=1000 --runs=5
//   npx tsx scripts/measure-warm-restart.ts --keep=/tmp/warm      # keep repositories and saved indexes between runs
//
// Per size: a synthetic catalog (scripts/lib/syntheticCatalog.ts), indexed
// cold once (the saved index needs a snapshot to save; skipped with --keep
// when a saved index is already there), saved, then restarted `runs` times
// in this process the way src/server.ts does it: open the repository (a new
// isomorphic-git cache), load + verify the saved index, read the refs, and
// buildSnapshot with the loaded snapshot as `previous`. Each restart is
// checked: every branch reused, nothing re-indexed, the v1 list's ETag equal
// to the cold build's. `measureWarmRestart` is exported for `npm run bench`.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { buildSnapshot } from '../src/catalog/buildSnapshot.js';
import { encodeSavedIndex } from '../src/catalog/encodeSavedIndex.js';
import { loadSavedIndex, type SavedIndexTimings } from '../src/catalog/loadSavedIndex.js';
import { saveIndex } from '../src/catalog/saveIndex.js';
import { repositoryIdentity } from '../src/catalog/savedIndex.js';
import { savedIndexPath } from '../src/catalog/savedIndexPath.js';
import type { CatalogSnapshot } from '../src/catalog/snapshot.js';
import { silentGitLogger } from '../src/git/gitLogger.js';
import { openCatalogRepository } from '../src/git/openCatalogRepository.js';
import { readRepositoryRefs } from '../src/git/readRepositoryRefs.js';
import { createSyntheticCatalog } from './lib/syntheticCatalog.js';

const GIT_URL = 'https://git.example.test/rbee-worker-catalog.git';
const SERVICE_VERSION = 'measure';

export interface WarmRestartRun extends SavedIndexTimings {
  /** openCatalogRepository of the local repository. */
  readonly openMs: number;
  /** loadSavedIndex as a whole: read, decode, restore, and the sha256 of both parts (a worker thread, alongside). */
  readonly loadMs: number;
  /** readRepositoryRefs, alongside the load (not added to the total). */
  readonly refsMs: number;
  /** buildSnapshot reusing the loaded records. */
  readonly buildMs: number;
  /** open → snapshot ready to swap in. */
  readonly totalMs: number;
  /** After that, in the background: reading, verifying and decoding every record's parsed fields (metadata, .SRCINFO, …). */
  readonly detailsMs: number;
}

export interface WarmRestartResult {
  readonly branches: number;
  readonly fileBytes: number;
  /** The cold index that produced the saved state; undefined when --keep found one. */
  readonly coldMs: number | undefined;
  /** encodeSavedIndex (on the event loop, in chunks) and saveIndex (write + fsync + rename). */
  readonly encodeMs: number;
  readonly longestEncodeStepMs: number;
  readonly writeMs: number;
  readonly runs: readonly WarmRestartRun[];
}

export interface MeasureWarmRestartOptions {
  readonly branches: number;
  readonly runs?: number;
  /** Where repositories and saved indexes live; a fresh temporary folder (removed afterwards) by default. */
  readonly workDir?: string;
}

export async function measureWarmRestart(options: MeasureWarmRestartOptions): Promise<WarmRestartResult> {
  const { branches, runs = 3 } = options;
  const root = options.workDir ?? await mkdtemp(path.join(tmpdir(), `rbee-warm-${branches}-`));
  try {
    await mkdir(root, { recursive: true });
    const gitdir = path.join(root, `synthetic-${branches}.git`);
    if (!existsSync(gitdir)) await createSyntheticCatalog(gitdir, branches);
    const open = () => openCatalogRepository({ source: gitdir, cacheDir: path.join(root, 'cache') });
    const repo = await open();
    const repository = repositoryIdentity(repo);
    const file = savedIndexPath({ dir: path.join(root, 'saved-index'), repository, gitUrl: GIT_URL });
    const expected = { file, serviceVersion: SERVICE_VERSION, repository, gitUrl: GIT_URL, logger: silentGitLogger };

    let coldMs: number | undefined;
    let reference: CatalogSnapshot;
    const existing = existsSync(file) ? await loadSavedIndex(expected) : undefined;
    if (existing?.kind === 'loaded') {
      reference = await buildSnapshot({ repo, gitUrl: GIT_URL, previous: existing.snapshot });
    } else {
      const started = performance.now();
      reference = await buildSnapshot({ repo, gitUrl: GIT_URL });
      coldMs = performance.now() - started;
    }

    let longestEncodeStepMs = 0;
    let stepStarted = performance.now();
    const pause = async (): Promise<void> => {
      longestEncodeStepMs = Math.max(longestEncodeStepMs, performance.now() - stepStarted);
      await new Promise((resolve) => setImmediate(resolve));
      stepStarted = performance.now();
    };
    const encodeStarted = performance.now();
    stepStarted = encodeStarted;
    const encoded = await encodeSavedIndex({ snapshot: reference, serviceVersion: SERVICE_VERSION, repository, gitUrl: GIT_URL, pause });
    longestEncodeStepMs = Math.max(longestEncodeStepMs, performance.now() - stepStarted);
    const encodeMs = performance.now() - encodeStarted;
    await saveIndex(file, encoded);
    const writeMs = performance.now() - encodeStarted - encodeMs;

    const results: WarmRestartRun[] = [];
    for (let run = 0; run < runs; run += 1) {
      const started = performance.now();
      const reopened = await open();
      const opened = performance.now();
      // As firstIndex does it: the refs are read while the saved index loads.
      let refsAt = 0;
      const refsRead = readRepositoryRefs(reopened).then((refs) => {
        refsAt = performance.now();
        return refs;
      });
      const loaded = await loadSavedIndex(expected);
      if (loaded.kind !== 'loaded') throw new Error(`run ${run}: the saved index was not loaded (${loaded.kind})`);
      const loadedAt = performance.now();
      const refs = await refsRead;
      const built = performance.now();
      const snapshot = await buildSnapshot({ repo: reopened, gitUrl: GIT_URL, previous: loaded.snapshot, refs });
      const done = performance.now();
      checkRestart(snapshot, loaded.snapshot, reference);
      const detailsStarted = performance.now();
      await loaded.verifyDetails(async () => undefined);
      const detailsMs = performance.now() - detailsStarted;
      results.push({
        ...loaded.timings,
        openMs: opened - started,
        loadMs: loadedAt - opened,
        refsMs: refsAt - opened,
        buildMs: done - built,
        totalMs: done - started,
        detailsMs,
      });
    }
    return { branches, fileBytes: encoded.bytes, coldMs, encodeMs, longestEncodeStepMs, writeMs, runs: results };
  } finally {
    if (options.workDir === undefined) await rm(root, { recursive: true, force: true });
  }
}

/** A restart that re-indexed anything, or serves another list, is not a warm restart. */
function checkRestart(snapshot: CatalogSnapshot, loaded: CatalogSnapshot, reference: CatalogSnapshot): void {
  for (const [name, record] of snapshot.branches) {
    if (record !== loaded.branches.get(name)) throw new Error(`branch ${name} was re-indexed on a warm restart`);
  }
  for (const [id, served] of snapshot.workers) {
    if (served !== loaded.workers.get(id)) throw new Error(`worker ${id} was re-serialised on a warm restart`);
  }
  if (snapshot.id !== reference.id || snapshot.v1List.etag !== reference.v1List.etag || snapshot.workers.size !== reference.workers.size) {
    throw new Error('the restarted snapshot does not serve what the cold build served');
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export function formatWarmRestartTable(results: readonly WarmRestartResult[]): string {
  const ms = (value: number): string => `${value.toFixed(0)} ms`;
  const lines = [
    'warm restart from the saved index: median of the restarts (open repository → snapshot ready to swap in)',
    '',
    '| branches | saved file | total | open repo | load | ↳ read | ↳ decode | ↳ restore | ↳ sha256 wait | refs (alongside) | build | then, in the background: parsed fields verified | save: encode (longest step) | save: write+fsync | cold index (reference) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    const m = (key: keyof WarmRestartRun): string => ms(median(result.runs.map((run) => run[key])));
    lines.push(`| ${result.branches.toLocaleString('en-US')} | ${(result.fileBytes / 1e6).toFixed(1)} MB | ${m('totalMs')} | ${m('openMs')} | ${m('loadMs')} | ${m('readMs')} | ${m('decodeMs')} | ${m('restoreMs')} | ${m('verifyWaitMs')} | ${m('refsMs')} | ${m('buildMs')} | ${m('detailsMs')} | ${ms(result.encodeMs)} (${ms(result.longestEncodeStepMs)}) | ${ms(result.writeMs)} | ${result.coldMs === undefined ? 'kept' : `${(result.coldMs / 1000).toFixed(1)} s`} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000' }, runs: { type: 'string', default: '3' }, keep: { type: 'string' } } });
  const sizes = values.sizes.split(',').map((size) => Number.parseInt(size, 10));
  const runs = Number.parseInt(values.runs, 10);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1 || size > 100_000) || !Number.isInteger(runs) || runs < 1 || runs > 50) {
    throw new Error('usage: measure-warm-restart [--sizes=1000,10000] [--runs=3] [--keep=DIR]');
  }
  const results: WarmRestartResult[] = [];
  for (const branches of sizes) {
    const workDir = values.keep === undefined ? undefined : path.join(path.resolve(values.keep), String(branches));
    const result = await measureWarmRestart({ branches, runs, workDir });
    results.push(result);
    process.stderr.write(`${branches} branches: warm restart ${median(result.runs.map((run) => run.totalMs)).toFixed(0)} ms\n`);
  }
  process.stdout.write(`${formatWarmRestartTable(results)}\n`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`measure-warm-restart: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
