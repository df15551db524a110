// cloneMirror: a first, complete clone of a remote (every branch, no tags, no
// work tree) built in a temporary sibling folder and renamed onto `gitdir`,
// so a crash or failure never leaves a half-written mirror where a good one
// is expected. A large remote is cloned in a child process
// (cloneInChildProcess) when the caller allows it; should the child itself
// break (not start, die), the clone is made here instead. Throws
// MirrorCloneError; `gitdir` is untouched on failure.

import type { HttpClient } from 'isomorphic-git';
import { ChildProcessError } from '../childProcess/runInChildProcess.js';
import { cloneInChildProcess, type ChildCloneRequest, type ChildCloneResult } from './cloneInChildProcess.js';
import { MirrorCloneError } from './errors.js';
import { writableTypedFs, type GitFs, type WritableTypedFs } from './gitFs.js';
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
    const child = settings !== undefined && remote.branches.size >= settings.fromBranches
      ? await cloneInChildUnlessItBreaks(settings, { url, dir: cloning, defaultBranch }, logger, files)
      : undefined;
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

/**
 * What the child that cloned into `request.dir` says of itself; undefined
 * when the child broke (did not start, died) and the clone is to be made here,
 * `request.dir` emptied for it. The clone's own failure (the network, the
 * remote) would fail here just the same: it is thrown.
 */
async function cloneInChildUnlessItBreaks(
  settings: ChildCloneSettings,
  request: Omit<ChildCloneRequest, 'http'>,
  logger: GitLogger,
  files: WritableTypedFs,
): Promise<ChildCloneResult | undefined> {
  try {
    return await (settings.cloneInChild ?? cloneInChildProcess)({ ...request, http: settings.http });
  } catch (error) {
    if (!(error instanceof ChildProcessError)) throw error;
    if (error.answered) throw new Error(error.reason);
    logger.warn({ err: error.message }, 'cloning in a child process failed; cloning here instead');
    await files.removeTree(request.dir);
    return undefined;
  }
}
