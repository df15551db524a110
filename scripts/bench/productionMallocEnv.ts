// productionMallocEnv: the glibc malloc settings the Docker image runs the
// service with (its runtime stage's MALLOC_* ENV), so the benchmark's service
// keeps memory the way production does. Read from the Dockerfile itself: one
// place says what production is.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDockerfile } from '../lib/dockerfile.js';

const DOCKERFILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'Dockerfile');

export function productionMallocEnv(): Record<string, string> {
  const runtime = parseDockerfile(readFileSync(DOCKERFILE, 'utf8')).at(-1);
  return Object.fromEntries(Object.entries(runtime?.env ?? {}).filter(([key]) => key.startsWith('MALLOC_')));
}
