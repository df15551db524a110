// writeMirrorClone: the clone itself, into a folder nothing else reads yet
// (cloneMirror's temporary sibling): every branch of the remote, no tags, no
// work tree, then the config and origin/HEAD a mirror needs. The remote's
// default branch comes from its state, read and checked first
// (readRemoteState).

import { clone, setConfig, writeRef, type HttpClient } from 'isomorphic-git';
import type { GitFs } from './gitFs.js';
import { redactUrl } from './redactUrl.js';

export interface WriteMirrorCloneOptions {
  /** The remote, credentials included if it needs them; they are never written to disk. */
  readonly url: string;
  /** Used as both dir and gitdir: the clone is bare. */
  readonly dir: string;
  readonly defaultBranch: string;
  readonly fs: GitFs;
  readonly http: HttpClient;
}

export async function writeMirrorClone(options: WriteMirrorCloneOptions): Promise<void> {
  const { url, dir, defaultBranch, fs, http } = options;
  await clone({
    fs,
    http,
    dir,
    gitdir: dir,
    url,
    ref: defaultBranch,
    noCheckout: true,
    singleBranch: false,
    noTags: true,
    // Not the repository's long-lived cache: that one is keyed by pack path,
    // and every path under `dir` is dead once it is renamed.
    cache: {},
  });
  await setConfig({ fs, gitdir: dir, path: 'core.bare', value: true });
  // Later fetches pass the URL explicitly; the stored one must not hold a token.
  await setConfig({ fs, gitdir: dir, path: 'remote.origin.url', value: redactUrl(url) });
  await writeRef({
    fs,
    gitdir: dir,
    ref: 'refs/remotes/origin/HEAD',
    value: `refs/remotes/origin/${defaultBranch}`,
    symbolic: true,
    force: true,
  });
}
