// imageLayout: a folder laid out as the Docker image is, without a Docker
// engine. The build stage's COPY lines are carried out with every dependency
// linked, and its `npm run build` run; then the runtime stage's COPY lines
// (dist/ from the build) with the production dependencies package-lock.json
// names, linked from the project's node_modules as `npm ci --omit=dev` would
// install them. test/build.test.ts runs the image's commands in it, and the
// benchmark measures the service it holds (scripts/bench/productionBuild.ts).

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseDockerfile, type DockerCopy, type DockerStage } from './dockerfile.js';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
const BUILD_TIMEOUT_MS = 120_000;

export interface ImageLayout {
  /** The runtime stage's WORKDIR inside the folder: where its CMD runs. */
  readonly appDir: string;
  /** The build stage's WORKDIR inside the folder, after `npm run build`. */
  readonly buildDir: string;
  readonly runtime: DockerStage;
  /** Production packages linked into appDir's node_modules. */
  readonly linkedModules: number;
}

/** The project's Dockerfile, parsed: its stages in order, the runtime one last. */
export function dockerStages(): DockerStage[] {
  return parseDockerfile(readFileSync(path.join(PROJECT, 'Dockerfile'), 'utf8'));
}

/** Lays the image out under `dir` (build/ and image/), building on the way. */
export async function layOutImage(dir: string): Promise<ImageLayout> {
  const stages = dockerStages();
  const runtime = stages.at(-1)!;
  const buildStage = stages.find((stage) => stage.name !== undefined && runtime.copies.some((copy) => copy.from === stage.name));
  if (buildStage === undefined) throw new Error('the Dockerfile\'s runtime stage copies from no named build stage');
  const buildRoot = path.join(dir, 'build');
  layOut(buildStage.copies, buildRoot, new Map());
  const buildDir = inside(buildRoot, buildStage.workdir);
  symlinkSync(path.join(PROJECT, 'node_modules'), path.join(buildDir, 'node_modules'), 'dir');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  await promisify(execFile)(npm, ['run', 'build'], { cwd: buildDir, timeout: BUILD_TIMEOUT_MS });

  const imageRoot = path.join(dir, 'image');
  layOut(runtime.copies, imageRoot, new Map([[buildStage.name!, buildRoot]]));
  const appDir = inside(imageRoot, runtime.workdir);
  return { appDir, buildDir, runtime, linkedModules: linkProductionModules(appDir) };
}

/** `/app/dist` inside a stage → that path under the folder standing in for the stage's filesystem. */
function inside(root: string, imagePath: string): string {
  return path.join(root, ...imagePath.split('/').filter(Boolean));
}

/** Carries out COPY lines into `root`, from the project (the build context) or from other stages' folders. */
function layOut(copies: readonly DockerCopy[], root: string, stageRoots: ReadonlyMap<string, string>): void {
  for (const copy of copies) {
    for (const source of copy.sources) {
      const named = `COPY ${copy.from === undefined ? '' : `--from=${copy.from} `}${source}`;
      let from: string;
      if (copy.from === undefined) {
        from = path.join(PROJECT, source);
      } else {
        const stageRoot = stageRoots.get(copy.from);
        if (stageRoot === undefined) throw new Error(`${named}: a stage that has not been laid out`);
        from = inside(stageRoot, source);
      }
      if (!existsSync(from)) throw new Error(`${named}: the source does not exist`);
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
