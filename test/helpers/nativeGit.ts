// Native git lives in scripts/lib/ because the benchmarks write their
// repositories with it too; tests import it from here.
export { git, TEST_GIT_ENV, type GitOptions } from '../../scripts/lib/nativeGit.js';
