// isGitDirectory: whether a folder is a git directory (a bare repository or
// a work tree's .git): it holds a HEAD file and objects/ and refs/ folders,
// the same test git itself applies.

import path from 'node:path';
import type { PromiseFsClient } from 'isomorphic-git';
import { isNotFound, typedFs } from './gitFs.js';

export async function isGitDirectory(fs: PromiseFsClient, dir: string): Promise<boolean> {
  const files = typedFs(fs);
  try {
    const [head, objects, refs] = await Promise.all([
      files.stat(path.join(dir, 'HEAD')),
      files.stat(path.join(dir, 'objects')),
      files.stat(path.join(dir, 'refs')),
    ]);
    return head.isFile() && objects.isDirectory() && refs.isDirectory();
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
