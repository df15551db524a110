// readWorkingCopy: a worker branch checked out on disk, read into the same
// shape readBranchFiles gives from git, so scripts/validate.ts runs exactly
// the server's indexing and rules. `.git` is skipped; symbolic links are
// listed (as git stores them) and never followed.

import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { SERVED_FILES } from '../../src/catalog/indexBranch.js';
import { MAX_TREE_ENTRIES } from '../../src/git/readBranchFiles.js';
import type { BranchFiles, TreeEntryInfo, TreeFile } from '../../src/git/types.js';

const NO_OID = '0'.repeat(40);

export async function readWorkingCopy(dir: string): Promise<BranchFiles> {
  const tree: TreeFile[] = [];
  let truncated = false;
  let level = ['']; // folders to list, relative to dir
  while (level.length > 0 && !truncated) {
    const next: string[] = [];
    for (const folder of level) {
      const names = (await readdir(path.join(dir, folder))).sort();
      for (const name of names) {
        if (folder === '' && name === '.git') continue;
        if (tree.length >= MAX_TREE_ENTRIES) {
          truncated = true;
          break;
        }
        const relative = folder === '' ? name : `${folder}/${name}`;
        const stats = await lstat(path.join(dir, relative));
        if (stats.isDirectory()) {
          tree.push({ path: relative, mode: '040000', type: 'tree', oid: NO_OID });
          next.push(relative);
        } else if (stats.isSymbolicLink()) {
          tree.push({ path: relative, mode: '120000', type: 'blob', oid: NO_OID, size: Buffer.byteLength(await readlink(path.join(dir, relative))) });
        } else {
          tree.push({ path: relative, mode: (stats.mode & 0o111) !== 0 ? '100755' : '100644', type: 'blob', oid: NO_OID, size: stats.size });
        }
      }
    }
    level = next;
  }

  const entries: TreeEntryInfo[] = tree.filter((entry) => !entry.path.includes('/')).map(({ path: name, mode, type, oid }) => ({ path: name, mode, type, oid }));
  const files = new Map<string, Uint8Array>();
  for (const name of SERVED_FILES) {
    if (entries.some((entry) => entry.path === name && entry.type === 'blob' && entry.mode !== '120000')) files.set(name, await readFile(path.join(dir, name)));
  }
  const commit = { oid: NO_OID, treeOid: NO_OID, time: Math.floor(Date.now() / 1000), author: { name: '', email: '' }, message: 'working copy' };
  return { commit, entries, files, tree, treeTruncated: truncated };
}

/** The branch a working copy is on: `.git/HEAD`'s branch, else the folder's name. */
export async function workingCopyBranch(dir: string): Promise<string> {
  try {
    const head = (await readFile(path.join(dir, '.git', 'HEAD'), 'utf8')).trim();
    if (head.startsWith('ref: refs/heads/')) return head.slice('ref: refs/heads/'.length);
  } catch {
    // not a git work tree, or .git is a file (worktrees): fall back to the folder name
  }
  return path.basename(path.resolve(dir));
}
