// cloneMirror: a first, complete clone of a remote (every branch, no tags, no
// work tree) built in a temporary sibling folder and renamed onto `gitdir`,
// so a crash or failure never leaves a half-written mirror where a good one
// is expected. A large remote is cloned in a child process
// (cloneInChildProcess) when the caller allows it; should the child itself
// break (not start, die), the clone is made here instead. Throws
// MirrorCloneError; `gitdir` is untouched on failure.

import type { HttpClient } from 'isomorphic-git';
import { ChildProcessError } from '../childProcess/runInChildProcess.js';
import { cloneInChildProcess, type ChildCloneResult } from './cloneInChildProcess.js';
import { MirrorCloneError } from './errors.js';
import { writableTypedFs, type GitFs } from './gitFs.js';
import type { GitLogger } from './gitLogger.js';
import { readRemoteState } from './readRemoteState.js';
import { redactUrl } from './redactUrl.js';
import type { RemoteHttpSettings } from './remoteHttpClient.js';
import { replaceGitDirectory } from './replaceGitDirectory.js';
import { temporarySiblingPath } from './temporarySiblingPath.js';
import { writeMirrorClone } from './writeMirrorClone.js';

export interface CloneMirrorOptions {
  /** The remote, credentials included if it needs them; they are never written to disk. */
  readonly url: string;
  readonly gitdir: string;
  readonly fs: GitFs;
  readonly http: HttpClient;
  readonly logger: GitLogger;
  /** Absent: every clone is made here. */
  readonly childProcess?: ChildCloneSettings | undefined;
}

export interface ChildCloneSettings {
  /** Remotes with at least this many branches are cloned in a child process. */
  readonly fromBranches: number;
  /** The settings `http` was built from (remoteHttpClient): the child builds its own. It writes to the disk, not through `fs`. */
  readonly http: RemoteHttpSettings;
  /** Tests: stands in for cloneInChildProcess (a child that dies cannot be had on purpose). */
  readonly cloneInChild?: typeof cloneInChildProcess;
}

export async function cloneMirror(options: CloneMirrorOptions): Promise<void> {
  const { url, gitdir, fs, http, logger } = options;
  const shownUrl = redactUrl(url);
  const files = writableTypedFs(fs);
  const cloning = temporarySiblingPath(gitdir, 'cloning');
  const started = Date.now();
  try {
    const remote = await readRemoteState({ http, url });
    const { defaultBranch } = remote;
    const settings = options.childProcess;
    let child: ChildCloneResult | undefined;
    if (settings !== undefined && remote.branches.size >= settings.fromBranches) {
      const inChild = settings.cloneInChild ?? cloneInChildProcess;
      child = await inChild({ url, dir: cloning, defaultBranch, http: settings.http }).catch(async (error: unknown) => {
        if (!(error instanceof ChildProcessError)) throw error;
        // The clone's own failure (the network, the remote) would fail here just the same.
        if (error.answered) throw new Error(error.reason);
        logger.warn({ err: error.message }, 'cloning in a child process failed; cloning here instead');
        await files.removeTree(cloning);
        return undefined;
      });
    }
    if (child === undefined) await writeMirrorClone({ url, dir: cloning, defaultBranch, fs, http });
    await replaceGitDirectory({ fs, from: cloning, to: gitdir });
    logger.info({
      url: shownUrl,
      gitdir,
      branches: remote.branches.size,
      defaultBranch,
      ms: Date.now() - started,
      childProcess: child === undefined ? undefined : { peakRssMb: Math.round(child.peakRssBytes / 1e6) },
    }, 'cloned the catalog mirror');
  } catch (error) {
    await files.removeTree(cloning);
    throw new MirrorCloneError(shownUrl, error);
  }
}
