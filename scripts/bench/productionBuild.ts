// productionBuild: the service as the Docker image runs it, for the
// benchmark: compiled as the build stage compiles it (tsc -p
// tsconfig.build.json, what `npm run build` runs) into a temporary folder
// laid out like the image's /app — dist/ compiled there; schemas/, fixtures/,
// package.json and node_modules/ linked from the project — and started with
// the runtime stage's CMD (`node dist/server.js`). `npm start` runs the
// sources through tsx instead, whose on-the-fly compiler alone adds ~35 MB to
// the service's RSS (145 against 180 MB with 100 branches, measured) and
// whose module loading is not production's.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseDockerfile } from '../lib/dockerfile.js';
import type { ServiceEntry } from '../lib/serviceProcess.js';
import type { BenchResources } from './benchResources.js';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
/** What the image has beside dist/ that the service reads at run time (the Dockerfile's COPY lines). */
const LINKED = ['schemas', 'fixtures', 'node_modules'];
const BUILD_TIMEOUT_MS = 120_000;

export async function buildProductionService(resources: BenchResources): Promise<ServiceEntry> {
  const command = parseDockerfile(readFileSync(path.join(PROJECT, 'Dockerfile'), 'utf8')).at(-1)?.cmd;
  if (command?.[0] !== 'node') throw new Error(`the Dockerfile's CMD is not a node command: ${JSON.stringify(command)}`);
  const app = await resources.tempDir('rbee-bench-app-');
  // typescript's exports do not name bin/tsc; its main module (lib/typescript.js) is beside it.
  const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript')), '..', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', path.join(app, 'dist')], { cwd: PROJECT, timeout: BUILD_TIMEOUT_MS });
  for (const name of LINKED) await symlink(path.join(PROJECT, name), path.join(app, name), 'dir');
  await copyFile(path.join(PROJECT, 'package.json'), path.join(app, 'package.json'));
  return { cwd: app, args: command.slice(1) };
}
