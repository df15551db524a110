// warmRestart: the real service restarted with its saved state → index
// ready. The service is started once on a fresh cache folder (it indexes from
// scratch and saves its state there, if it saves any), stopped with SIGTERM,
// and started again on the same folder; both starts are timed (timedStart.ts),
// and the restarted service's RSS is read at ready and once it has settled.
// The repository is the local bare one (CATALOG_REPO=<path>), as for the cold
// index, so no fetch is part of either figure. Whether a saved state exists is
// judged by what the first run left in the cache folder: for a local
// repository the service writes nothing else there.

import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceEntry } from '../lib/serviceProcess.js';
import type { BenchResources } from './benchResources.js';
import { readProcessMemory, settledRss } from './memory.js';
import { timedStart, type TimedService } from './timedStart.js';

export interface StartFigures {
  readonly listeningMs: number;
  readonly readyMs: number;
  /** The service's own figure (its `catalog ready` line). */
  readonly loggedIndexMs: number | undefined;
  readonly workers: number | undefined;
}

export interface WarmRestartResult {
  readonly first: StartFigures;
  readonly restart: StartFigures;
  /** Files the first run left in its cache folder, with their total size. */
  readonly savedFiles: number;
  readonly savedBytes: number;
  /** The restarted service's VmRSS at ready, and once left alone for settleMs. */
  readonly restartRss: { readonly readyBytes: number; readonly settledBytes: number };
}

export interface WarmRestartOptions {
  readonly gitdir: string;
  readonly cacheDir: string;
  readonly readyTimeoutMs: number;
  readonly resources: BenchResources;
  readonly entry?: ServiceEntry;
  /** How long the restarted service is left alone before its settled RSS is read. */
  readonly settleMs: number;
}

export async function measureWarmRestart(options: WarmRestartOptions): Promise<WarmRestartResult> {
  const env = { CATALOG_REPO: options.gitdir, CATALOG_CACHE_DIR: options.cacheDir, CATALOG_POLL_SECONDS: '0', LOG_LEVEL: 'info' };
  const start = (): Promise<TimedService> => timedStart({ env, readyTimeoutMs: options.readyTimeoutMs, resources: options.resources, entry: options.entry });

  const firstService = await start();
  await firstService.stop();
  const saved = await folderSize(options.cacheDir);
  const restarted = await start();
  const readyBytes = (await readProcessMemory(restarted.pid)).rssBytes;
  const settledBytes = await settledRss(restarted.pid, options.settleMs);
  await restarted.stop();
  const first = figures(firstService);
  const restart = figures(restarted);
  if (first.workers !== undefined && restart.workers !== undefined && first.workers !== restart.workers) {
    throw new Error(`the restarted service serves ${restart.workers} workers, the first start ${first.workers}`);
  }
  return { first, restart, savedFiles: saved.files, savedBytes: saved.bytes, restartRss: { readyBytes, settledBytes } };
}

function figures(service: TimedService): StartFigures {
  return { listeningMs: service.listeningMs, readyMs: service.readyMs, loggedIndexMs: service.logged?.durationMs, workers: service.logged?.workers };
}

async function folderSize(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    files += 1;
    bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}
