// readRepositoryRefs: every branch of a catalog repository with its tip oid,
// and the default branch, from one read of the refs (see readRawRefs). The
// repository's branch selection applies here, so every index and refresh
// sees the same branches: the default branch and the selected worker branches.

import path from 'node:path';
import { isSelectedBranch } from './branchSelection.js';
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
  const { selection } = repo;
  if (selection === undefined) return { defaultBranch, branches };
  // A configured default branch wins over HEAD, when it exists; else there is none (main/master are not guessed past it).
  const chosen = selection.defaultBranch === undefined ? defaultBranch : branches.some((branch) => branch.name === selection.defaultBranch) ? selection.defaultBranch : undefined;
  return { defaultBranch: chosen, branches: branches.filter((branch) => branch.name === chosen || isSelectedBranch(selection, branch.name)) };
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
