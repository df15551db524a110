// cloneMirror: a first, complete clone of a remote (every branch, no tags, no
// work tree) built in a temporary sibling folder and renamed onto `gitdir`,
// so a crash or failure never leaves a half-written mirror where a good one
// is expected. Throws MirrorCloneError; `gitdir` is untouched on failure.

import { clone, setConfig, writeRef, type HttpClient } from 'isomorphic-git';
import { MirrorCloneError } from './errors.js';
import { writableTypedFs, type GitFs } from './gitFs.js';
import type { GitLogger } from './gitLogger.js';
import { readRemoteState } from './readRemoteState.js';
import { redactUrl } from './redactUrl.js';
import { replaceGitDirectory } from './replaceGitDirectory.js';
import { temporarySiblingPath } from './temporarySiblingPath.js';

export interface CloneMirrorOptions {
  /** The remote, credentials included if it needs them; they are never written to disk. */
  readonly url: string;
  readonly gitdir: string;
  readonly fs: GitFs;
  readonly http: HttpClient;
  readonly logger: GitLogger;
}

export async function cloneMirror(options: CloneMirrorOptions): Promise<void> {
  const { url, gitdir, fs, http, logger } = options;
  const shownUrl = redactUrl(url);
  const files = writableTypedFs(fs);
  const cloning = temporarySiblingPath(gitdir, 'cloning');
  const started = Date.now();
  try {
    const remote = await readRemoteState({ http, url });
    await clone({
      fs,
      http,
      dir: cloning,
      gitdir: cloning,
      url,
      ref: remote.defaultBranch,
      noCheckout: true,
      singleBranch: false,
      noTags: true,
      // Not the repository's long-lived cache: that one is keyed by pack path,
      // and every path under `cloning` is dead once it is renamed.
      cache: {},
    });
    await setConfig({ fs, gitdir: cloning, path: 'core.bare', value: true });
    // Later fetches pass the URL explicitly; the stored one must not hold a token.
    await setConfig({ fs, gitdir: cloning, path: 'remote.origin.url', value: shownUrl });
    await writeRef({
      fs,
      gitdir: cloning,
      ref: 'refs/remotes/origin/HEAD',
      value: `refs/remotes/origin/${remote.defaultBranch}`,
      symbolic: true,
      force: true,
    });
    await replaceGitDirectory({ fs, from: cloning, to: gitdir });
    logger.info(
      { url: shownUrl, gitdir, branches: remote.branches.size, defaultBranch: remote.defaultBranch, ms: Date.now() - started },
      'cloned the catalog mirror',
    );
  } catch (error) {
    await files.removeTree(cloning);
    throw new MirrorCloneError(shownUrl, error);
  }
}
