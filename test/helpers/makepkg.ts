// The makepkg oracle for tests: runs Debian's real `makepkg --printsrcinfo`.
// The code lives in scripts/lib/makepkg.ts so the maintainer script that
// regenerates .SRCINFO files uses the very same runner and normalisation.

export {
  MakepkgError,
  makepkgAvailable,
  makepkgProblem,
  normaliseSrcinfo,
  printSrcinfoForFolder,
  printSrcinfoWithMakepkg,
  type PrintSrcinfoOptions,
} from '../../scripts/lib/makepkg.js';

/** The message a test skips with when makepkg is missing on a developer machine. */
export const MAKEPKG_SKIP_MESSAGE = 'makepkg not installed: run .ci/install-makepkg.sh';
