// validateBranch: runs every rule over one branch. Parse problems come from
// the parsers; these rules judge what parsed.

import type { Problem } from '../catalog/problem.js';
import type { BranchInput, Rule } from './branchInput.js';
import { checksumCounts } from './checksumCounts.js';
import { fieldLengths } from './fieldLengths.js';
import { metadataMatchesBranch } from './metadataMatchesBranch.js';
import { pkgbaseMatchesBranch } from './pkgbaseMatchesBranch.js';
import { referencedFiles } from './referencedFiles.js';
import { requiredFiles } from './requiredFiles.js';
import { sourceSecurity } from './sourceSecurity.js';
import { srcinfoMatchesPkgbuild } from './srcinfoMatchesPkgbuild.js';
import { srcinfoNames } from './srcinfoNames.js';
import { suspiciousPkgbuild } from './suspiciousPkgbuild.js';
import { treeLayout } from './treeLayout.js';
import { versionFields } from './versionFields.js';

/** Errors keep a commit from being served; warnings are served and shown. In report order. */
const RULES: readonly Rule[] = [
  requiredFiles,
  treeLayout,
  pkgbaseMatchesBranch,
  metadataMatchesBranch,
  srcinfoNames,
  versionFields,
  fieldLengths,
  checksumCounts,
  srcinfoMatchesPkgbuild,
  referencedFiles,
  sourceSecurity,
  suspiciousPkgbuild,
];

export function validateBranch(input: BranchInput): Problem[] {
  return RULES.flatMap((rule) => rule(input));
}
