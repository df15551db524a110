// requiredFiles: a worker branch must carry PKGBUILD, .SRCINFO and
// metadata.json; a README.md is expected but its absence only warns.

import type { Problem } from '../catalog/problem.js';
import type { BranchInput } from './branchInput.js';

const REQUIRED: readonly { file: string; code: string; fix: string }[] = [
  { file: 'PKGBUILD', code: 'PKGBUILD_MISSING', fix: 'add the PKGBUILD at the top of the branch' },
  { file: '.SRCINFO', code: 'SRCINFO_MISSING', fix: 'run `makepkg --printsrcinfo > .SRCINFO` and commit it' },
  { file: 'metadata.json', code: 'METADATA_MISSING', fix: 'add metadata.json (see schemas/metadata.schema.json)' },
];

export function requiredFiles(input: BranchInput): Problem[] {
  const problems: Problem[] = REQUIRED
    .filter(({ file }) => !input.texts.has(file))
    .map(({ file, code, fix }) => ({ code, severity: 'error', file, message: `${file} is missing: ${fix}` }));
  if (!input.texts.has('README.md')) {
    problems.push({ code: 'README_MISSING', severity: 'warning', file: 'README.md', message: 'README.md is missing: add a short description and install instructions' });
  }
  return problems;
}
