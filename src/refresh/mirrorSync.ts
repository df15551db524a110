// MirrorSync: how the refresh engine brings the repository up to date. A
// mirror fetches from its remote — one branch over protocol v2 when the
// server speaks it (two small requests, whatever the catalog's size), else
// isomorphic-git's v1 fetch; a local repository is read in place, so syncing
// it only reads where its refs point now.

import type { HttpClient } from 'isomorphic-git';
import { consolidatePacks } from '../git/consolidatePacks.js';
import { fetchMirror, type FetchMirrorOptions } from '../git/fetchMirror.js';
import { fetchMirrorBranch } from '../git/fetchMirrorBranch.js';
import { fetchMirrorBranchV2 } from '../git/fetchMirrorBranchV2.js';
import type { GitLogger } from '../git/gitLogger.js';
import { readRef } from '../git/readRef.js';
import type { CatalogRepository } from '../git/types.js';
import { supportsProtocolV2 } from '../git/uploadPackV2.js';
import { withGitdirLock } from '../git/withGitdirLock.js';

export interface MirrorSync {
  /** Updates one branch; resolves with its tip oid, or undefined when the branch is gone. */
  branch(name: string): Promise<string | undefined>;
  /** Updates every branch; resolves with false when nothing had changed. */
  all(): Promise<boolean>;
}

export interface RemoteMirrorSyncOptions {
  readonly repo: CatalogRepository;
  /** The remote, credentials included if it needs them. */
  readonly url: string;
  readonly http: HttpClient;
  readonly logger: GitLogger;
  /** Packs kept before the small ones are merged (see consolidatePacks). */
  readonly maxPacks?: number;
}

export function remoteMirrorSync(options: RemoteMirrorSyncOptions): MirrorSync {
  const { repo, url, http, logger } = options;
  // A mirror's fs is the GitFs openCatalogRepository was given; CatalogRepository only types the read side.
  const common: FetchMirrorOptions = { url, gitdir: repo.gitdir, fs: repo.fs as FetchMirrorOptions['fs'], http, cache: repo.cache, logger };
  // Asked once per process; a failed probe is asked again next time.
  let speaksV2: Promise<boolean> | undefined;
  const protocolV2 = (): Promise<boolean> => {
    speaksV2 ??= supportsProtocolV2({ http, url }).catch((error: unknown) => {
      speaksV2 = undefined;
      throw error;
    });
    return speaksV2;
  };
  // Every fetch may add a pack; merged past the limit while the lock is still held.
  const keepPacksFew = async (): Promise<void> => {
    const merged = await consolidatePacks({ fs: common.fs, gitdir: repo.gitdir, cache: repo.cache, maxPacks: options.maxPacks });
    if (merged > 0) logger.info({ merged }, 'merged the small packs of single-branch fetches into one');
  };
  return {
    branch: (name) => withGitdirLock(repo.gitdir, async () => {
      const fetchBranch = (await protocolV2()) ? fetchMirrorBranchV2 : fetchMirrorBranch;
      const { oid } = await fetchBranch({ ...common, branch: name });
      await keepPacksFew();
      return oid;
    }),
    all: () => withGitdirLock(repo.gitdir, async () => {
      const { changed } = await fetchMirror(common);
      await keepPacksFew();
      return changed;
    }),
  };
}

export function localRepositorySync(repo: CatalogRepository): MirrorSync {
  return {
    branch: (name) => readRef({ fs: repo.fs, gitdir: repo.gitdir, ref: `${repo.refPrefix}${name}` }),
    // Nothing to fetch: a full re-index reads the refs as they are.
    all: async () => true,
  };
}
