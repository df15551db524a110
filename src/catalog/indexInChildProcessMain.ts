// indexInChildProcessMain: the body of the child process indexInChildProcess
// forks. Sent one ChildIndexRequest, it indexes every branch from git, writes
// the saved index, answers with what it did, and exits (answerParent).

import { answerParent } from '../childProcess/answerParent.js';
import { defaultGitFs } from '../git/gitFs.js';
import type { CatalogRepository } from '../git/types.js';
import { buildSnapshot } from './buildSnapshot.js';
import { encodeSavedIndex } from './encodeSavedIndex.js';
import type { ChildIndexRequest, ChildIndexResult } from './indexInChildProcess.js';
import { saveIndex } from './saveIndex.js';

answerParent(indexAndSave);

async function indexAndSave(request: ChildIndexRequest): Promise<ChildIndexResult> {
  // A fresh fs and cache of this process's own: only the data fields came over.
  const repo: CatalogRepository = { ...request.repo, fs: defaultGitFs, cache: {} };
  let started = performance.now();
  const snapshot = await buildSnapshot({ repo, gitUrl: request.gitUrl });
  const indexMs = performance.now() - started;
  started = performance.now();
  // Nothing else runs here: no pauses between chunks, as the saver needs for requests.
  const encoded = await encodeSavedIndex({ snapshot, serviceVersion: request.serviceVersion, repository: request.repository, gitUrl: request.gitUrl, pause: async () => undefined });
  await saveIndex(request.file, encoded);
  return {
    branches: snapshot.branches.size,
    workers: snapshot.workers.size,
    indexMs,
    saveMs: performance.now() - started,
    savedBytes: encoded.bytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
