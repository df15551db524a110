// measure-cold-index: how long a cold index takes (no saved state, nothing
// warm: openCatalogRepository + buildSnapshot in a fresh process) next to the
// native-git reference reading the same files, at 1,000 and 10,000 branches,
// on a local bare repository and on a mirror the service cloned over HTTP
// (what production runs: its pack and loose refs differ from git's own).
//
//   npx tsx scripts/measure-cold-index.ts                       # 1,000 and 10,000 branches
//   npx tsx scripts/measure-cold-index.ts --sizes=1000 --breakdown --profile=/tmp/prof
//   npx tsx scripts/measure-cold-index.ts --work-dir=/tmp/cold  # keeps the catalogs for the next run
//   npx tsx scripts/measure-cold-index.ts --runs=3              # fastest of 3 fresh processes per source
//
// The reference: `git for-each-ref` lists the branch tips, then one
// `git cat-file --batch` reads each tip's commit, its tree and the four
// served files (PKGBUILD, .SRCINFO, metadata.json, README.md) — the objects
// readBranchFiles reads. Both sides are wall-clock times of whole processes
// run one after another in the same run, so their ratio holds on a noisy machine.
//
// measureColdIndex is exported for the `npm run bench` harness.

import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mirrorDirectoryName } from '../src/git/mirrorDirectoryName.js';
import { openCatalogRepository } from '../src/git/openCatalogRepository.js';
import type { ColdIndexRunInput, ColdIndexRunResult } from './lib/coldIndexRun.js';
import { startGitHttpServer } from './lib/gitHttpServer.js';
import { TEST_GIT_ENV } from './lib/nativeGit.js';
import { createSyntheticCatalog } from './lib/syntheticCatalog.js';

const PROJECT_DIR = fileURLToPath(new URL('../', import.meta.url));
const RUN_SCRIPT = fileURLToPath(new URL('./lib/coldIndexRun.ts', import.meta.url));
/** Bounds every child: a stuck index fails the run instead of hanging it. */
const CHILD_TIMEOUT_MS = 15 * 60_000;
const SERVED_FILES = ['PKGBUILD', '.SRCINFO', 'metadata.json', 'README.md'];

export interface MeasureColdIndexOptions {
  readonly sizes: readonly number[];
  /** Also measure a mirror cloned over loopback HTTP (the clone itself is timed too). */
  readonly mirror?: boolean;
  /** Also run the phase-by-phase breakdown (a second fresh process per source). */
  readonly breakdown?: boolean;
  /** A folder for CPU profiles (node --cpu-prof) of the timed cold index; summarised in the result. */
  readonly profileDir?: string;
  /** Where catalogs are built; reused when they already exist there. A temporary folder (removed) when absent. */
  readonly workDir?: string;
  /** Native reference runs per source; the fastest counts (page cache warm, as for ours). */
  readonly nativeRuns?: number;
  /** Cold index runs per source, each in a fresh process; the fastest counts (the machine is shared). */
  readonly runs?: number;
  readonly log?: (line: string) => void;
}

export interface SourceMeasurement {
  readonly source: 'local' | 'mirror';
  readonly branches: number;
  readonly nativeMs: number;
  /** openCatalogRepository (for a mirror, a no-op fetch) and buildSnapshot, fresh process. */
  readonly openMs: number;
  readonly indexMs: number;
  readonly ratio: number;
  readonly workers: number;
  readonly rssMb: number;
  readonly contentDigest: string;
  readonly breakdown?: Readonly<Record<string, number>>;
  /** Self time by package or file in the CPU profile, largest first. */
  readonly profile?: ReadonlyArray<{ readonly where: string; readonly ms: number }>;
  /** For a mirror: the service's clone over HTTP, not part of the cold index. */
  readonly cloneMs?: number;
}

export async function measureColdIndex(options: MeasureColdIndexOptions): Promise<SourceMeasurement[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const workDir = options.workDir ?? await mkdtemp(path.join(tmpdir(), 'rbee-cold-index-'));
  const results: SourceMeasurement[] = [];
  try {
    for (const size of options.sizes) {
      const root = path.join(workDir, String(size));
      const served = path.join(root, 'served');
      const gitdir = path.join(served, 'catalog.git');
      if (!existsSync(path.join(gitdir, 'packed-refs'))) {
        await rm(root, { recursive: true, force: true });
        await mkdir(served, { recursive: true });
        log(`${size}: building the synthetic catalog`);
        await createSyntheticCatalog(gitdir, size);
      }
      results.push(await measureSource({ ...options, log, source: 'local', branches: size, location: gitdir, gitdir, cacheDir: path.join(root, 'unused-cache') }));
      if (options.mirror !== false) {
        const server = await startGitHttpServer({ root: served });
        try {
          const url = server.urlFor('catalog.git');
          const cacheDir = path.join(root, 'mirror-cache');
          // The service names a mirror after its URL, and the loopback server's port changes every
          // run: the mirror kept from an earlier run is renamed to this run's name, so that opening
          // it is a start-up with a mirror on disk (a no-op fetch), not a second clone.
          const name = mirrorDirectoryName(url);
          const kept = existsSync(cacheDir) ? (await readdir(cacheDir)).filter((entry) => !entry.startsWith('.')) : [];
          let cloneMs: number | undefined;
          if (kept.length === 0) {
            log(`${size}: cloning the mirror over HTTP`);
            const started = performance.now();
            await openCatalogRepository({ source: url, cacheDir });
            cloneMs = Math.round(performance.now() - started);
          } else if (kept[0] !== name) {
            await rename(path.join(cacheDir, kept[0]!), path.join(cacheDir, name));
          }
          for (const extra of kept.slice(1)) await rm(path.join(cacheDir, extra), { recursive: true, force: true });
          const mirrorGitdir = path.join(cacheDir, name);
          const measured = await measureSource({ ...options, log, source: 'mirror', branches: size, location: url, gitdir: mirrorGitdir, cacheDir });
          results.push({ ...measured, cloneMs });
        } finally {
          await server.close();
        }
      }
    }
  } finally {
    if (options.workDir === undefined) await rm(workDir, { recursive: true, force: true });
  }
  return results;
}

interface SourceOptions extends MeasureColdIndexOptions {
  readonly log: (line: string) => void;
  readonly source: 'local' | 'mirror';
  readonly branches: number;
  /** What openCatalogRepository is given: the gitdir, or the mirror's URL. */
  readonly location: string;
  /** The git directory native git reads. */
  readonly gitdir: string;
  readonly cacheDir: string;
}

async function measureSource(options: SourceOptions): Promise<SourceMeasurement> {
  const { log, source, branches } = options;
  const prefix = source === 'mirror' ? 'refs/remotes/origin/' : 'refs/heads/';
  const nativeTimes: number[] = [];
  for (let run = 0; run < (options.nativeRuns ?? 2); run += 1) nativeTimes.push(await nativeReference(options.gitdir, prefix));
  const nativeMs = Math.min(...nativeTimes);
  log(`${branches} ${source}: native ${nativeMs} ms`);

  const input: ColdIndexRunInput = { source: options.location, cacheDir: options.cacheDir, mode: 'total' };
  const profileDir = options.profileDir === undefined ? undefined : path.join(options.profileDir, `${branches}-${source}`);
  let total = await runChild(input, profileDir);
  for (let run = 1; run < (options.runs ?? 1); run += 1) {
    const again = await runChild(input);
    if (again.contentDigest !== total.contentDigest) throw new Error(`${branches} ${source}: two cold indexes of one repository served different bodies`);
    if ((again.ms.index ?? 0) < (total.ms.index ?? 0)) total = again;
  }
  log(`${branches} ${source}: open ${total.ms.open} ms, index ${total.ms.index} ms, ${total.workers} workers, ${total.rssMb} MB`);
  const breakdown = options.breakdown === true ? (await runChild({ ...input, mode: 'breakdown' })).ms : undefined;
  if (breakdown !== undefined) log(`${branches} ${source}: ${JSON.stringify(breakdown)}`);
  const profile = profileDir === undefined ? undefined : await summariseProfiles(profileDir);
  const indexMs = total.ms.index ?? 0;
  return {
    source,
    branches,
    nativeMs,
    openMs: total.ms.open ?? 0,
    indexMs,
    ratio: indexMs / nativeMs,
    workers: total.workers,
    rssMb: total.rssMb,
    contentDigest: total.contentDigest,
    breakdown,
    profile,
  };
}

/** Wall-clock milliseconds of `git for-each-ref` + one `git cat-file --batch` reading every tip's commit, tree and served files. */
async function nativeReference(gitdir: string, prefix: string): Promise<number> {
  const started = performance.now();
  const listing = await run('git', ['--git-dir', gitdir, 'for-each-ref', '--format=%(objectname) %(refname)', prefix]);
  const requests: string[] = [];
  for (const line of listing.toString('utf8').split('\n')) {
    const [oid, ref] = line.split(' ');
    if (oid === undefined || ref === undefined || ref.endsWith('/HEAD') || ref.endsWith('/master')) continue;
    requests.push(oid, `${oid}^{tree}`, ...SERVED_FILES.map((file) => `${oid}:${file}`));
  }
  const output = await run('git', ['--git-dir', gitdir, 'cat-file', '--batch'], `${requests.join('\n')}\n`);
  const elapsed = Math.round(performance.now() - started);
  if (output.includes(' missing\n')) throw new Error('native reference: git cat-file reported missing objects');
  return elapsed;
}

function run(command: string, args: readonly string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { env: TEST_GIT_ENV, encoding: 'buffer', maxBuffer: 1 << 30, timeout: CHILD_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr.toString() || error.message}`));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}

/** One cold index in a fresh node process (with a CPU profile when `profileDir` is given). */
async function runChild(input: ColdIndexRunInput, profileDir?: string): Promise<ColdIndexRunResult> {
  const flags = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  if (profileDir !== undefined) await rm(profileDir, { recursive: true, force: true });
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', RUN_SCRIPT, JSON.stringify(input)], {
    cwd: PROJECT_DIR,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: CHILD_TIMEOUT_MS,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`cold index run failed (${code}): ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ColdIndexRunResult;
}

interface CpuProfile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string } }>;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time grouped by npm package (or by file of ours, or by V8's own buckets such as `(garbage collector)`). */
async function summariseProfiles(profileDir: string): Promise<Array<{ where: string; ms: number }>> {
  const totals = new Map<string, number>();
  for (const name of await readdir(profileDir)) {
    if (!name.endsWith('.cpuprofile')) continue;
    const profile = JSON.parse(await readFile(path.join(profileDir, name), 'utf8')) as CpuProfile;
    const whereById = new Map(profile.nodes.map((node) => [node.id, whereOf(node.callFrame)]));
    profile.samples.forEach((id, index) => {
      const where = whereById.get(id) ?? '?';
      totals.set(where, (totals.get(where) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
    });
  }
  return [...totals].map(([where, ms]) => ({ where, ms: Math.round(ms) })).sort((a, b) => b.ms - a.ms).slice(0, 25);
}

function whereOf(frame: { readonly functionName: string; readonly url: string }): string {
  const { url, functionName } = frame;
  if (url === '') return functionName || '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    const pkg = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    return pkg === 'isomorphic-git' ? `isomorphic-git ${functionName}` : pkg;
  }
  if (url.startsWith('node:')) return `${url} ${functionName}`;
  return `${url.replace(`file://${PROJECT_DIR}`, '')} ${functionName}`;
}

export function formatTable(results: readonly SourceMeasurement[]): string {
  const lines = [
    '| branches | source | native git | ours: open | ours: index | index / native | workers | RSS |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    lines.push(`| ${r.branches.toLocaleString('en-US')} | ${r.source} | ${ms(r.nativeMs)} | ${ms(r.openMs)} | ${ms(r.indexMs)} | ${r.ratio.toFixed(2)}× | ${r.workers} | ${r.rssMb} MB |`);
  }
  return lines.join('\n');
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value} ms`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000,10000' },
      'no-mirror': { type: 'boolean', default: false },
      breakdown: { type: 'boolean', default: false },
      profile: { type: 'string' },
      'work-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      runs: { type: 'string', default: '1' },
    },
  });
  const sizes = values.sizes.split(',').map((size) => Number.parseInt(size, 10));
  const runs = Number.parseInt(values.runs, 10);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1 || size > 100_000) || !Number.isInteger(runs) || runs < 1 || runs > 10) {
    throw new Error('usage: measure-cold-index [--sizes=1000,10000] [--runs=1] [--no-mirror] [--breakdown] [--profile=DIR] [--work-dir=DIR] [--json]');
  }
  const results = await measureColdIndex({
    sizes,
    mirror: !values['no-mirror'],
    breakdown: values.breakdown,
    runs,
    profileDir: values.profile === undefined ? undefined : path.resolve(values.profile),
    workDir: values['work-dir'] === undefined ? undefined : path.resolve(values['work-dir']),
  });
  process.stdout.write(`${formatTable(results)}\n`);
  for (const r of results) {
    if (r.cloneMs !== undefined) process.stdout.write(`\n${r.branches} mirror: clone over HTTP ${ms(r.cloneMs)} (not part of the cold index)`);
    if (r.breakdown !== undefined) process.stdout.write(`\n${r.branches} ${r.source} breakdown (ms): ${JSON.stringify(r.breakdown)}`);
    if (r.profile !== undefined) process.stdout.write(`\n${r.branches} ${r.source} profile, self ms:\n${r.profile.map((p) => `  ${String(p.ms).padStart(7)}  ${p.where}`).join('\n')}`);
    process.stdout.write(`\n${r.branches} ${r.source} content digest ${r.contentDigest}`);
  }
  process.stdout.write('\n');
  if (values.json) process.stdout.write(`${JSON.stringify(results)}\n`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`measure-cold-index: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
