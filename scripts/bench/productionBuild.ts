// productionBuild: the service as the Docker image runs it, for the
// benchmark: laid out as the image is (scripts/lib/imageLayout.ts: built by
// the build stage's `npm run build`, with the runtime stage's files and only
// the production dependencies) and started with the runtime stage's CMD
// (`node dist/server.js`). `npm start` runs the sources through tsx instead,
// whose on-the-fly compiler alone held ~40 MB of the service's RSS (147
// against 105 MB settled with 100 branches, npm run bench) and whose module
// loading is not production's.

import { layOutImage } from '../lib/imageLayout.js';
import type { ServiceEntry } from '../lib/serviceProcess.js';
import type { BenchResources } from './benchResources.js';

export async function buildProductionService(resources: BenchResources): Promise<ServiceEntry> {
  const { appDir, runtime } = await layOutImage(await resources.tempDir('rbee-bench-image-'));
  const command = runtime.cmd;
  if (command?.[0] !== 'node') throw new Error(`the Dockerfile's CMD is not a node command: ${JSON.stringify(command)}`);
  return { cwd: appDir, args: command.slice(1) };
}
