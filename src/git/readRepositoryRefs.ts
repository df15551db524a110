// readRepositoryRefs: every branch of a catalog repository with its tip oid,
// and the default branch, from one read of the refs (see readRawRefs).

import path from 'node:path';
import { typedFs } from './gitFs.js';
import { readRawRefs } from './readRawRefs.js';
import type { BranchRef, CatalogRepository, RepositoryRefs } from './types.js';

const SYMBOLIC = 'ref: ';
const MAX_SYMBOLIC_DEPTH = 5;

export async function readRepositoryRefs(repo: CatalogRepository): Promise<RepositoryRefs> {
  const prefix = repo.refPrefix;
  const raw = await readRawRefs({ fs: repo.fs, gitdir: repo.gitdir, prefix });
  // A mirror's refs/remotes/origin/HEAD records the remote's default branch; it is not a branch.
  const remoteHead = repo.kind === 'mirror' ? raw.get(`${prefix}HEAD`) : undefined;
  if (repo.kind === 'mirror') raw.delete(`${prefix}HEAD`);

  const branches: BranchRef[] = [];
  for (const ref of raw.keys()) {
    const oid = resolve(raw, ref);
    if (oid !== undefined) branches.push({ name: ref.slice(prefix.length), oid });
  }
  branches.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const head = repo.kind === 'mirror' ? remoteHead : await readHead(repo);
  let defaultBranch: string | undefined;
  if (head?.startsWith(`${SYMBOLIC}${prefix}`)) {
    const name = head.slice(SYMBOLIC.length + prefix.length);
    if (branches.some((branch) => branch.name === name)) defaultBranch = name;
  }
  return { defaultBranch, branches };
}

/** Follows symbolic refs inside the prefix; undefined when the chain leaves it or dangles. */
function resolve(raw: ReadonlyMap<string, string>, ref: string): string | undefined {
  let value = raw.get(ref);
  for (let depth = 0; value?.startsWith(SYMBOLIC) === true && depth < MAX_SYMBOLIC_DEPTH; depth += 1) {
    value = raw.get(value.slice(SYMBOLIC.length));
  }
  return value === undefined || value.startsWith(SYMBOLIC) ? undefined : value;
}

async function readHead(repo: CatalogRepository): Promise<string | undefined> {
  return (await typedFs(repo.fs).readTextIfExists(path.join(repo.gitdir, 'HEAD')))?.trim();
}
