// rebuildFromGit: what the service does when the saved index its records
// were restored from turns out damaged after the load (a restored file or
// body could not be read from it; see OpenSavedFile): those records cannot
// be served any more, so every branch is indexed from git again and that is
// swapped in. The saver then writes a whole new file from it. A call while
// a rebuild runs joins that one; a failed rebuild is logged, and the next
// damaged read tries again.

import type { GitLogger } from '../git/gitLogger.js';
import type { CatalogRepository } from '../git/types.js';
import { buildSnapshot } from './buildSnapshot.js';
import type { CatalogSnapshot } from './snapshot.js';

export interface RebuildFromGitOptions {
  readonly repo: CatalogRepository;
  readonly gitUrl: string;
  readonly swap: (snapshot: CatalogSnapshot) => void;
  readonly logger: GitLogger;
}

export function rebuildFromGit(options: RebuildFromGitOptions): (error: Error) => Promise<void> {
  let running: Promise<void> | undefined;
  return (error) => {
    running ??= rebuild(options, error).finally(() => {
      running = undefined;
    });
    return running;
  };
}

async function rebuild(options: RebuildFromGitOptions, error: Error): Promise<void> {
  const { repo, gitUrl, swap, logger } = options;
  logger.error({ err: error.message }, 'a restored file could not be read from the saved index; indexing every branch from git');
  try {
    swap(await buildSnapshot({ repo, gitUrl }));
  } catch (failure) {
    logger.error({ err: failure instanceof Error ? failure.message : String(failure) }, 'rebuilding the index from git failed; serving what was served');
  }
}
