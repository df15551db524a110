// The container, tested without a Docker engine: the Dockerfile's own COPY
// lines lay out a build folder and an image folder, `npm run build` compiles
// in the first, and the runtime stage's CMD runs in the second with only the
// production dependencies from package-lock.json; it must serve the built-in
// catalog, and the image's HEALTHCHECK command must pass against it and fail
// against a closed port; its indexing child process must run compiled too.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { dockerStages, layOutImage } from '../scripts/lib/imageLayout.js';
import { freePort } from '../scripts/lib/serviceProcess.js';
import { catalogWorkerIds } from './helpers/catalogApp.js';
import { startGitHttpServer } from './helpers/gitHttpServer.js';
import { nativeBranches } from './helpers/nativeGit.js';
import { makeTempDir } from './helpers/tempDir.js';

const stages = dockerStages();
const runtime = stages.at(-1)!;
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

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

test('npm run build, then node dist/server.js in a folder laid out as the image: /health, /ready, /workers, /v1/workers, the HEALTHCHECK, and the indexing and cloning child processes', { timeout: 180_000 }, async (t) => {
  const dir = await makeTempDir(t, 'rbee-image');
  // The build stage (its COPY lines, all dependencies, its RUN npm run build), then the runtime stage
  // (its COPY lines, and production node_modules for its RUN npm ci --omit=dev).
  const { appDir, buildDir, linkedModules } = await layOutImage(dir);
  assert.ok(statSync(path.join(buildDir, 'dist', 'server.js')).isFile());
  assert.ok(linkedModules > 10);
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

  // A large catalog's first index runs in a child process: compiled, it is the .js beside its parent, run without tsx.
  const file = path.join(dir, 'child-saved.idx');
  const request = { repo: { kind: 'local', gitdir: path.join(dir, 'cache', 'builtin-catalog.git'), refPrefix: 'refs/heads/' }, gitUrl: 'https://git.example.test/c.git', serviceVersion: packageJson.version, repository: 'built-in', file };
  const answer = await runBuiltModule(appDir, `const { indexInChildProcess } = await import('./dist/catalog/indexInChildProcess.js');
process.stdout.write(JSON.stringify(await indexInChildProcess(${JSON.stringify(request)})));`);
  assert.equal((JSON.parse(answer) as { workers: number }).workers, catalogWorkerIds().length);
  assert.ok(statSync(file).size > 0, 'the child wrote the saved index');

  // So does a large remote's first clone, the same way.
  const gitServer = await startGitHttpServer({ root: path.join(dir, 'cache') });
  t.after(() => gitServer.close());
  const url = gitServer.urlFor('builtin-catalog.git');
  const cloneDir = path.join(dir, 'child-clone.git');
  const cloneRequest = { url, dir: cloneDir, defaultBranch: 'master', http: { remoteUrl: url, timeoutMs: 30_000 } };
  await runBuiltModule(appDir, `const { cloneInChildProcess } = await import('./dist/git/cloneInChildProcess.js');
await cloneInChildProcess(${JSON.stringify(cloneRequest)});`);
  assert.deepEqual(await nativeBranches(cloneDir, 'refs/remotes/origin/'), await nativeBranches(path.join(dir, 'cache', 'builtin-catalog.git'), 'refs/heads/'), 'the child cloned every branch');
});

/** Runs `script` as an ES module in the laid-out image's folder, without tsx; resolves with its stdout. */
function runBuiltModule(appDir: string, script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: appDir, env: { PATH: process.env.PATH }, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`${error.message}\n${stderr}`));
    });
  });
}
