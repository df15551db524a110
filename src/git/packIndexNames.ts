// packIndexNames: the pack indexes of a gitdir (objects/pack/*.idx), by file
// name in sorted order, or none when it has no pack folder (a repository
// with only loose objects). An index is what makes a pack visible, so every
// reader of packs starts from this list.

import path from 'node:path';
import { isNotFound, type TypedFs } from './gitFs.js';

export async function packIndexNames(fs: TypedFs, gitdir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(path.join(gitdir, 'objects', 'pack'));
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  return names.filter((name) => name.endsWith('.idx')).sort();
}
