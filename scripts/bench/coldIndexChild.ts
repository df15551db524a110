// The cold index, run in a fresh process by coldIndex.ts (so nothing is
// cached in memory): opens a local bare repository and builds the snapshot
// exactly as src/server.ts does for CATALOG_REPO=<path> (openCatalogRepository
// + buildSnapshot, no saved state), then prints one JSON line with the
// duration and the process's memory.
//
//   node --import tsx scripts/bench/coldIndexChild.ts GITDIR

import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';

const gitdir = process.argv[2];
if (gitdir === undefined) throw new Error('usage: coldIndexChild.ts GITDIR');

const started = performance.now();
const repo = await openCatalogRepository({ source: gitdir, cacheDir: gitdir });
const snapshot = await buildSnapshot({ repo, gitUrl: gitdir });
const indexMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({
  indexMs,
  kind: repo.kind,
  branches: snapshot.branches.size,
  workers: snapshot.workers.size,
  rssBytes: process.memoryUsage().rss,
  // Includes module loading (tsx) before the clock started.
  processMs: performance.now(),
})}\n`);
