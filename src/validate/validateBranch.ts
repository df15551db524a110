// validateBranch: runs every rule over one branch. Parse problems come from
// the parsers; these rules judge what parsed.

import type { Problem } from '../catalog/problem.js';
import type { BranchInput, Rule } from './branchInput.js';
import { metadataMatchesBranch } from './metadataMatchesBranch.js';
import { pkgbaseMatchesBranch } from './pkgbaseMatchesBranch.js';
import { requiredFiles } from './requiredFiles.js';

const RULES: readonly Rule[] = [requiredFiles, pkgbaseMatchesBranch, metadataMatchesBranch];

export function validateBranch(input: BranchInput): Problem[] {
  return RULES.flatMap((rule) => rule(input));
}
