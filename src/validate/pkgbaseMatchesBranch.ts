// pkgbaseMatchesBranch: as on the AUR, a branch holds exactly the package
// base it is named after, so a push cannot hijack another worker's id.

import type { Problem } from '../catalog/problem.js';
import type { BranchInput } from './branchInput.js';

export function pkgbaseMatchesBranch({ branch, srcinfo }: BranchInput): Problem[] {
  if (srcinfo === undefined || srcinfo.pkgbase.name === branch) return [];
  return [{
    code: 'SRCINFO_PKGBASE_MISMATCH',
    severity: 'error',
    file: '.SRCINFO',
    line: srcinfo.pkgbase.line,
    message: `pkgbase '${srcinfo.pkgbase.name.slice(0, 100)}' must equal the branch name '${branch}'`,
  }];
}
