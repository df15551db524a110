// versionFields: epoch, pkgver and pkgrel as makepkg's lint accepts them —
// an epoch of digits, a pkgver without ':', '/', '-' or whitespace, a pkgrel
// of digits with at most one '.digits' part.

import type { Problem } from '../catalog/problem.js';
import type { BranchInput } from './branchInput.js';

const CHECKS: ReadonlyArray<{ key: string; code: string; valid: RegExp; expected: string }> = [
  { key: 'epoch', code: 'EPOCH_INVALID', valid: /^[0-9]+$/, expected: 'digits only' },
  { key: 'pkgver', code: 'PKGVER_INVALID', valid: /^[^\s:/-]+$/, expected: "no ':', '/', '-' or whitespace" },
  { key: 'pkgrel', code: 'PKGREL_INVALID', valid: /^[0-9]+(?:\.[0-9]+)?$/, expected: 'digits, optionally one .digits part (1, 2, 1.1)' },
];

export function versionFields({ srcinfo }: BranchInput): Problem[] {
  if (srcinfo === undefined) return [];
  const problems: Problem[] = [];
  for (const entry of srcinfo.pkgbase.entries) {
    const check = CHECKS.find(({ key }) => key === entry.key);
    if (check === undefined || entry.value === '' || check.valid.test(entry.value)) continue;
    problems.push({
      code: check.code,
      severity: 'error',
      file: '.SRCINFO',
      line: entry.line,
      message: `${entry.key} '${entry.value.slice(0, 100)}' is invalid: ${check.expected}`,
    });
  }
  return problems;
}
