// The container, tested without a Docker engine: the Dockerfile's own COPY
// lines lay out a build folder and an image folder, `npm run build` compiles
// in the first, and the runtime stage's CMD runs in the second with only the
// production dependencies from package-lock.json; it must serve the built-in
// catalog, and the image's HEALTHCHECK command must pass against it and fail
// against a closed port.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parseDockerfile, type DockerCopy, type DockerStage } from '../scripts/lib/dockerfile.js';
import { freePort } from '../scripts/lib/serviceProcess.js';
import { catalogWorkerIds } from './helpers/catalogApp.js';
import { makeTempDir } from './helpers/tempDir.js';

const execFileAsync = promisify(execFile);
const PROJECT = path.resolve('.');
const stages = parseDockerfile(readFileSync('Dockerfile', 'utf8'));
const runtime = stages.at(-1)!;
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

/** `/app/dist` inside a stage → that path under the folder standing in for the stage's filesystem. */
const inside = (root: string, imagePath: string): string => path.join(root, ...imagePath.split('/').filter(Boolean));

/** Carries out COPY lines into `root`, from the project (the build context) or from other stages' folders. */
function layOut(copies: readonly DockerCopy[], root: string, stageRoots: ReadonlyMap<string, string>): void {
  for (const copy of copies) {
    for (const source of copy.sources) {
      let from: string;
      if (copy.from === undefined) {
        from = path.join(PROJECT, source);
      } else {
        const stageRoot = stageRoots.get(copy.from);
        assert.ok(stageRoot !== undefined, `COPY --from=${copy.from}: a stage this test has built`);
        from = inside(stageRoot, source);
      }
      assert.ok(existsSync(from), `COPY ${copy.from === undefined ? '' : `--from=${copy.from} `}${source}: the source exists`);
      const into = copy.dest.endsWith('/') ? path.join(inside(root, copy.dest), path.basename(source)) : inside(root, copy.dest);
      mkdirSync(path.dirname(into), { recursive: true });
      cpSync(from, into, { recursive: true });
    }
  }
}

/** What `npm ci --omit=dev` installs, as symlinks into the project's node_modules: the top-level packages the lockfile does not mark dev. */
function linkProductionModules(appDir: string): number {
  const lock = JSON.parse(readFileSync(path.join(appDir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  let linked = 0;
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (entry.dev === true || !/^node_modules\/(@[^/]+\/)?[^/]+$/.test(key)) continue;
    const target = path.join(PROJECT, key);
    if (!existsSync(target)) continue; // an optional package for another platform
    mkdirSync(path.dirname(path.join(appDir, key)), { recursive: true });
    symlinkSync(target, path.join(appDir, key), 'dir');
    linked++;
  }
  return linked;
}

/** Every `node` in an exec-form command is this Node, as the image's PATH would find its own. */
const withNode = (command: readonly string[]): [string, string[]] => [command[0] === 'node' ? process.execPath : command[0]!, command.slice(1)];

test('the Dockerfile: non-root, listens on 0.0.0.0, the cache dir a volume, a HEALTHCHECK, production dependencies only, nothing it copies ignored', () => {
  assert.ok(stages.length >= 2, 'a build stage and a runtime stage');
  assert.match(runtime.image, /^node:(2[2-9]|[3-9]\d)\b/, 'a current LTS image');
  assert.ok(runtime.user !== undefined && !['root', '0'].includes(runtime.user), `USER ${runtime.user}`);
  assert.equal(runtime.env.HOST, '0.0.0.0');
  assert.ok(runtime.env.CATALOG_CACHE_DIR !== undefined && runtime.volumes.includes(runtime.env.CATALOG_CACHE_DIR), 'the cache dir is a VOLUME');
  assert.ok(runtime.exposed.includes(runtime.env.PORT ?? ''), 'EXPOSE the PORT');
  assert.ok(runtime.runs.some((run) => /\bnpm ci --omit=dev\b/.test(run)), 'npm ci --omit=dev');
  assert.ok(runtime.healthcheck !== undefined, 'HEALTHCHECK');
  assert.deepEqual(runtime.cmd, ['node', 'dist/server.js']);
  const build = stages.find((stage) => stage.name === runtime.copies.find((copy) => copy.from !== undefined)?.from);
  assert.ok(build?.runs.includes('npm run build'), 'the compiled service comes from npm run build');

  // A context path .dockerignore leaves out would make `docker build` fail.
  const ignored = readFileSync('.dockerignore', 'utf8').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const matches = (pattern: string, source: string): boolean => {
    const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/.*)?$`);
    return regex.test(source);
  };
  for (const stage of stages) {
    for (const copy of stage.copies.filter((item) => item.from === undefined)) {
      for (const source of copy.sources) {
        for (const pattern of ignored) assert.ok(!matches(pattern, source.replace(/^\.\//, '')), `COPY ${source} is excluded by .dockerignore's ${pattern}`);
      }
    }
  }
});

test('npm run build, then node dist/server.js in a folder laid out as the image: /health, /ready, /workers, /v1/workers and the HEALTHCHECK', { timeout: 180_000 }, async (t) => {
  const dir = await makeTempDir(t, 'rbee-image');
  // The build stage: its COPY lines, all dependencies, and its RUN npm run build.
  const buildStage = stages.find((stage) => stage.name !== undefined && runtime.copies.some((copy) => copy.from === stage.name)) as DockerStage;
  const buildRoot = path.join(dir, 'build');
  layOut(buildStage.copies, buildRoot, new Map());
  const buildApp = inside(buildRoot, buildStage.workdir);
  symlinkSync(path.join(PROJECT, 'node_modules'), path.join(buildApp, 'node_modules'), 'dir');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  await execFileAsync(npm, ['run', 'build'], { cwd: buildApp, timeout: 120_000 });
  assert.ok(statSync(path.join(buildApp, 'dist', 'server.js')).isFile());

  // The runtime stage: its COPY lines, and production node_modules for its RUN npm ci --omit=dev.
  const imageRoot = path.join(dir, 'image');
  layOut(runtime.copies, imageRoot, new Map([[buildStage.name!, buildRoot]]));
  const appDir = inside(imageRoot, runtime.workdir);
  assert.ok(linkProductionModules(appDir) > 10);
  assert.equal(existsSync(path.join(appDir, 'node_modules', 'tsx')), false, 'no dev dependency');
  assert.equal(existsSync(path.join(appDir, 'src')), false, 'no TypeScript sources');

  const port = await freePort();
  const [command, args] = withNode(runtime.cmd!);
  const child = spawn(command, args, {
    cwd: appDir,
    env: { ...runtime.env, PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, HOST: '127.0.0.1', PORT: String(port), CATALOG_CACHE_DIR: path.join(dir, 'cache'), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  // Ready when the service logs that it serves the first index (or fails when it exits first).
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 60 s:\n${output}`)), 60_000);
    const settle = (error?: Error): void => {
      clearTimeout(timer);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.split('\n').some((line) => line.includes('"msg":"catalog ready'))) settle();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => settle(new Error(`dist/server.js exited with ${code}:\n${output}`)));
  });

  const base = `http://127.0.0.1:${port}`;
  const health = await fetch(`${base}/health`);
  assert.equal(health.status, 200);
  const healthBody = await health.json() as { status: string; version: string };
  assert.equal(healthBody.status, 'ok');
  assert.equal(healthBody.version, packageJson.version, 'package.json is read at run time');
  assert.equal((await fetch(`${base}/ready`)).status, 200);
  const legacy = await fetch(`${base}/workers`);
  assert.equal(legacy.status, 200);
  assert.deepEqual(((await legacy.json()) as { workers: Array<{ id: string }> }).workers.map((worker) => worker.id).sort(), catalogWorkerIds(), 'the built-in catalog from fixtures/catalog');
  const v1 = await fetch(`${base}/v1/workers`);
  assert.equal(v1.status, 200);
  assert.equal(((await v1.json()) as { total: number }).total, catalogWorkerIds().length);
  // Every fixture worker is served: the PKGBUILD reader (tree-sitter's wasm, from node_modules) checked each one's .SRCINFO.
  const pkgbuild = await fetch(`${base}/workers/llm-worker-rbee-cpu/PKGBUILD`);
  assert.equal(pkgbuild.status, 200);

  const [healthCommand, healthArgs] = withNode(runtime.healthcheck!.command);
  const healthcheck = (checkPort: number): Promise<number> => new Promise((resolve) => {
    execFile(healthCommand, healthArgs, { env: { PATH: process.env.PATH, PORT: String(checkPort) }, timeout: 15_000 }, (error) => {
      resolve(error === null ? 0 : typeof error.code === 'number' ? error.code : -1);
    });
  });
  assert.equal(await healthcheck(port), 0, 'HEALTHCHECK passes against the running service');
  assert.equal(await healthcheck(await freePort()), 1, 'HEALTHCHECK fails against a closed port');

  child.kill('SIGTERM');
  assert.equal(await exited, 0, 'a clean exit on SIGTERM');
});
