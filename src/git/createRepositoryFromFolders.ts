// createRepositoryFromFolders: turns a folder tree — each immediate subfolder
// one branch, its files that branch's tree — into a real bare git repository,
// with isomorphic-git alone. Commits have a fixed identity and time, so the
// same folders always give the same oids (fixtures, tests, the built-in catalog).

import path from 'node:path';
import { init, writeBlob, writeCommit, writeRef, writeTree, type TreeEntry } from 'isomorphic-git';
import { DefaultBranchMissingError, InvalidBranchNameError } from './errors.js';
import { defaultGitFs, writableTypedFs, type GitFs } from './gitFs.js';
import { isValidBranchName } from './isValidBranchName.js';
import { replaceGitDirectory } from './replaceGitDirectory.js';
import { temporarySiblingPath } from './temporarySiblingPath.js';
import type { BranchRef } from './types.js';

export const FIXTURE_AUTHOR = { name: 'rbee catalog fixtures', email: 'fixtures@rbee.invalid' } as const;
/** 2025-01-01T00:00:00Z. */
export const FIXTURE_TIME = 1735689600;

export interface CreateRepositoryFromFoldersOptions {
  readonly sourceDir: string;
  /** Where the bare repository goes; an existing repository (or empty folder) there is replaced. */
  readonly gitdir: string;
  /** The branch HEAD points at; a folder of that name must exist. Default `master`. */
  readonly defaultBranch?: string;
  readonly fs?: GitFs;
  /** Author and committer time, seconds since the epoch. */
  readonly time?: number;
}

export interface CreatedRepository {
  /** One per branch folder, sorted by name. */
  readonly branches: BranchRef[];
}

export async function createRepositoryFromFolders(options: CreateRepositoryFromFoldersOptions): Promise<CreatedRepository> {
  const fs = options.fs ?? defaultGitFs;
  const files = writableTypedFs(fs);
  const sourceDir = path.resolve(options.sourceDir);
  const gitdir = path.resolve(options.gitdir);
  const defaultBranch = options.defaultBranch ?? 'master';
  const time = options.time ?? FIXTURE_TIME;
  if (!isValidBranchName(defaultBranch)) throw new InvalidBranchNameError(defaultBranch);

  const names: string[] = [];
  for (const name of (await files.readdir(sourceDir)).sort()) {
    // Files beside the branch folders (a README explaining the layout) are not branches.
    if (!(await files.lstat(path.join(sourceDir, name))).isDirectory()) continue;
    if (!isValidBranchName(name)) throw new InvalidBranchNameError(name);
    names.push(name);
  }
  // A HEAD naming a missing branch is what makes isomorphic-git fetches corrupt a mirror.
  if (!names.includes(defaultBranch)) throw new DefaultBranchMissingError(defaultBranch, sourceDir);

  await files.mkdir(path.dirname(gitdir));
  const building = temporarySiblingPath(gitdir, 'building');
  try {
    await init({ fs, gitdir: building, bare: true, defaultBranch });
    const branches: BranchRef[] = [];
    for (const name of names) {
      const tree = await writeFolder(fs, building, path.join(sourceDir, name));
      const signature = { ...FIXTURE_AUTHOR, timestamp: time, timezoneOffset: 0 };
      const oid = await writeCommit({
        fs,
        gitdir: building,
        commit: { message: `${name}\n`, tree, parent: [], author: signature, committer: signature },
      });
      await writeRef({ fs, gitdir: building, ref: `refs/heads/${name}`, value: oid });
      branches.push({ name, oid });
    }
    await writeRef({ fs, gitdir: building, ref: 'HEAD', value: `refs/heads/${defaultBranch}`, symbolic: true, force: true });
    await replaceGitDirectory({ fs, from: building, to: gitdir });
    return { branches };
  } catch (error) {
    await files.removeTree(building);
    throw error;
  }
}

/** Writes a folder's files as blobs and trees; returns the tree oid. Empty folders vanish, as in git. */
async function writeFolder(fs: GitFs, gitdir: string, dir: string): Promise<string> {
  const entries = await folderEntries(fs, gitdir, dir);
  return writeTree({ fs, gitdir, tree: entries });
}

async function folderEntries(fs: GitFs, gitdir: string, dir: string): Promise<TreeEntry[]> {
  const files = writableTypedFs(fs);
  const entries: TreeEntry[] = [];
  for (const name of await files.readdir(dir)) {
    // git refuses a tree entry named .git; a nested repository is not content.
    if (name === '.git') continue;
    const full = path.join(dir, name);
    const stats = await files.lstat(full);
    if (stats.isDirectory()) {
      const children = await folderEntries(fs, gitdir, full);
      if (children.length === 0) continue;
      entries.push({ mode: '040000', path: name, type: 'tree', oid: await writeTree({ fs, gitdir, tree: children }) });
    } else if (stats.isSymbolicLink()) {
      // git stores a symlink as a blob holding its target, never following it.
      const oid = await writeBlob({ fs, gitdir, blob: Buffer.from(await files.readlink(full), 'utf8') });
      entries.push({ mode: '120000', path: name, type: 'blob', oid });
    } else if (stats.isFile()) {
      const oid = await writeBlob({ fs, gitdir, blob: await files.readFile(full) });
      const executable = (stats.mode & 0o111) !== 0;
      entries.push({ mode: executable ? '100755' : '100644', path: name, type: 'blob', oid });
    }
  }
  return entries;
}
