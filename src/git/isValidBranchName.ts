// isValidBranchName: the branch names the git layer itself will create a ref
// from — a deliberately narrow subset of what git allows, so a folder name
// can never become a path outside refs/heads/ or a name git would refuse.

const BRANCH_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

export function isValidBranchName(name: string): boolean {
  return BRANCH_NAME.test(name) && !name.includes('..') && !name.endsWith('.lock') && name !== 'HEAD' && name.length <= 255;
}
