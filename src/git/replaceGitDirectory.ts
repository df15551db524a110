// replaceGitDirectory: moves a freshly built git directory onto its final
// path, replacing what was there, so readers find either the old repository
// or the complete new one — never a half-written one. It only ever replaces a
// git directory or an empty folder: a mistyped target must not lose data.

import { RefusingToReplaceError } from './errors.js';
import { isNotFound, writableTypedFs, type GitFs } from './gitFs.js';
import { isGitDirectory } from './isGitDirectory.js';
import { temporarySiblingPath } from './temporarySiblingPath.js';

export interface ReplaceGitDirectoryOptions {
  readonly fs: GitFs;
  /** The complete new git directory. */
  readonly from: string;
  readonly to: string;
}

export async function replaceGitDirectory(options: ReplaceGitDirectoryOptions): Promise<void> {
  const fs = writableTypedFs(options.fs);
  const { from, to } = options;
  let existing: 'none' | 'empty' | 'repository';
  try {
    const stats = await fs.lstat(to);
    if (stats.isDirectory() && (await fs.readdir(to)).length === 0) existing = 'empty';
    else if (stats.isDirectory() && (await isGitDirectory(options.fs, to))) existing = 'repository';
    else throw new RefusingToReplaceError(to);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    existing = 'none';
  }

  if (existing === 'none') {
    await fs.rename(from, to);
    return;
  }
  // rename() cannot replace a non-empty folder; move the old one aside first.
  // Between the two renames `to` briefly does not exist, which readers treat as
  // "no repository yet" rather than as a broken one.
  const old = temporarySiblingPath(to, 'old');
  await fs.rename(to, old);
  try {
    await fs.rename(from, to);
  } catch (error) {
    await fs.rename(old, to).catch(() => undefined);
    throw error;
  }
  await fs.removeTree(old);
}
