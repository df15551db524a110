// An app over a repository with history (historyRepository): served from
// the newest valid commit, with a rejected newer tip, and a WorkerHistory
// reading the same repository. `push` commits, pushes and re-indexes.

import path from 'node:path';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { CatalogStore } from '../../src/catalog/catalogStore.js';
import { gitWorkerHistory, type GitWorkerHistoryOptions } from '../../src/catalog/gitWorkerHistory.js';
import type { WorkerHistory } from '../../src/catalog/workerHistory.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import type { CatalogRepository } from '../../src/git/types.js';
import { emptyApp, TEST_GIT_URL } from './catalogApp.js';
import { historyRepository, removeMetadata, setVersion, type HistoryRepository } from './historyRepository.js';
import { git } from './nativeGit.js';

export interface HistoryApp {
  readonly app: FastifyInstance;
  readonly store: CatalogStore;
  readonly repo: CatalogRepository;
  readonly history: WorkerHistory;
  readonly source: HistoryRepository;
  /** Commits a change, pushes it and swaps in a re-indexed snapshot. */
  push(label: string, change: (work: string) => void): Promise<string>;
}

export interface HistoryAppOptions {
  /** Repository to serve instead of the full bare copy (a shallow clone, say). */
  readonly gitdir?: string;
  readonly historyOptions?: Omit<GitWorkerHistoryOptions, 'repo'>;
  /** Leave the rejected tip out: the branch ends at the newest valid commit. */
  readonly withoutRejectedTip?: boolean;
}

/** Labels of the commits made: 0.1.0-1, 0.1.0-2, 0.1.0-2 patched, 1:0.2.0-1, then (rejected) 1:0.3.0-1 broken. */
export async function historyApp(t: TestContext, options: HistoryAppOptions = {}): Promise<HistoryApp> {
  const source = await historyRepository(t);
  const gitdir = options.gitdir ?? source.gitdir;
  const repo = await openCatalogRepository({ source: gitdir, cacheDir: path.join(path.dirname(gitdir), 'cache') });
  const store = new CatalogStore();
  store.swap(await buildSnapshot({ repo, gitUrl: TEST_GIT_URL }));
  const reindex = async (): Promise<void> => {
    store.swap(await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, previous: store.current }));
  };
  const push = async (label: string, change: (work: string) => void): Promise<string> => {
    const oid = await source.commit(label, change);
    await reindex();
    return oid;
  };
  if (options.withoutRejectedTip !== true) {
    await push('1:0.3.0-1 broken', (work) => {
      setVersion(work, { pkgver: '0.3.0', pkgrel: '1', epoch: '1' });
      removeMetadata(work);
    });
  }
  const history = gitWorkerHistory({ repo, ...options.historyOptions });
  const app = await emptyApp(t, store, { history });
  return { app, store, repo, history, source, push };
}

/** For every distinct version, newest first, the newest commit carrying it: read with native git (the oracle). */
export async function nativeVersions(gitdir: string, branch: string): Promise<Array<{ version: string; commit: string; time: number }>> {
  const log = (await git(['log', '--format=%H %ct', branch], { cwd: gitdir })).trim().split('\n');
  const found: Array<{ version: string; commit: string; time: number }> = [];
  for (const line of log) {
    const [commit = '', time = ''] = line.split(' ');
    const srcinfo = await git(['show', `${commit}:.SRCINFO`], { cwd: gitdir });
    const value = (key: string): string | undefined => /^\s*(\S+) = (.*)$/m.exec(srcinfo.split('\n').find((row) => row.trim().startsWith(`${key} = `)) ?? '')?.[2];
    const epoch = value('epoch');
    const version = `${epoch === undefined ? '' : `${epoch}:`}${value('pkgver')}-${value('pkgrel')}`;
    if (!found.some((entry) => entry.version === version)) found.push({ version, commit, time: Number(time) });
  }
  return found;
}
