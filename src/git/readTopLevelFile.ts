// readTopLevelFile: one file at the top of a commit's tree, with its blob oid
// (which names its exact bytes), or undefined when the commit has no such
// file. Reads the tree and that one blob only.

import { readBlob, readTree } from 'isomorphic-git';
import type { CatalogRepository } from './types.js';

export interface TopLevelFile {
  readonly bytes: Uint8Array;
  readonly oid: string;
}

export async function readTopLevelFile(repo: CatalogRepository, options: { oid: string; name: string }): Promise<TopLevelFile | undefined> {
  const { fs, gitdir, cache } = repo;
  // `oid` may name the commit or its tree: readTree peels a commit to its tree.
  const { tree } = await readTree({ fs, gitdir, cache, oid: options.oid });
  const entry = tree.find((candidate) => candidate.path === options.name);
  if (entry === undefined || entry.type !== 'blob') return undefined;
  const { blob } = await readBlob({ fs, gitdir, cache, oid: entry.oid });
  return { bytes: blob, oid: entry.oid };
}
