// Native git lives in scripts/lib/ because the benchmarks write their
// repositories with it too; tests import it from here.
import { git } from '../../scripts/lib/nativeGit.js';

export { git, TEST_GIT_ENV, type GitOptions } from '../../scripts/lib/nativeGit.js';

/** native git's branches of a gitdir under a prefix (a symbolic HEAD under it left out): `name oid` lines. */
export async function nativeBranches(gitdir: string, prefix: string): Promise<string[]> {
  const out = await git(['-C', gitdir, 'for-each-ref', `--format=%(refname) %(objectname)`, prefix]);
  return out
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith(`${prefix}HEAD `))
    .map((line) => line.slice(prefix.length));
}
