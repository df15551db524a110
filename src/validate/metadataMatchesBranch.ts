// metadataMatchesBranch: metadata.json's id names the worker it describes,
// which must be the branch it sits on.

import type { Problem } from '../catalog/problem.js';
import type { BranchInput } from './branchInput.js';

export function metadataMatchesBranch({ branch, metadata }: BranchInput): Problem[] {
  if (metadata === undefined || metadata.id === branch) return [];
  return [{
    code: 'METADATA_ID_MISMATCH',
    severity: 'error',
    file: 'metadata.json',
    message: `metadata.json id '${metadata.id}' must equal the branch name '${branch}'`,
  }];
}
