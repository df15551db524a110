// The cold index, run in a fresh process by coldIndex.ts (so nothing is
// cached in memory): opens a local bare repository and makes the first index
// exactly as src/server.ts does for CATALOG_REPO=<path> with no saved state
// (openCatalogRepository + firstIndex, which from CHILD_PROCESS_FROM_BRANCHES
// on indexes in a child process, saves, and loads what it saved), then prints
// one JSON line with the durations and the memory of both processes.
//
//   node --import tsx scripts/bench/coldIndexChild.ts GITDIR

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHILD_PROCESS_FROM_BRANCHES, firstIndex } from '../../src/catalog/firstIndex.js';
import { silentGitLogger } from '../../src/git/gitLogger.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';

const gitdir = process.argv[2];
if (gitdir === undefined) throw new Error('usage: coldIndexChild.ts GITDIR');

const savedIndexDir = await mkdtemp(path.join(tmpdir(), 'rbee-cold-index-'));
try {
  const started = performance.now();
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: gitdir });
  const first = await firstIndex({ repo, gitUrl: gitdir, serviceVersion: 'bench', savedIndexDir, logger: silentGitLogger, childProcessFromBranches: CHILD_PROCESS_FROM_BRANCHES });
  const indexMs = performance.now() - started;
  const { snapshot, childProcess } = first;
  process.stdout.write(`${JSON.stringify({
    indexMs,
    kind: repo.kind,
    branches: snapshot.branches.size,
    workers: snapshot.workers.size,
    rssBytes: process.memoryUsage().rss,
    child: childProcess === undefined ? undefined : {
      indexMs: childProcess.indexMs,
      saveMs: childProcess.saveMs,
      loadMs: first.savedIndexMs ?? 0,
      peakRssBytes: childProcess.peakRssBytes,
    },
    // Includes module loading (tsx) before the clock started.
    processMs: performance.now(),
  })}\n`);
} finally {
  await rm(savedIndexDir, { recursive: true, force: true });
}
