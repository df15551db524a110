// srcinfoNames: pkgbase and every pkgname must be names pacman and the AUR
// accept: lowercase letters and digits first, then also . + _ - (aurweb's rule).

import type { Problem } from '../catalog/problem.js';
import type { BranchInput } from './branchInput.js';
import { allSections } from './srcinfoSections.js';

const NAME = /^[a-z0-9][a-z0-9.+_-]*$/;

export function srcinfoNames({ srcinfo }: BranchInput): Problem[] {
  if (srcinfo === undefined) return [];
  return allSections(srcinfo)
    .filter((section) => section.name !== '' && !NAME.test(section.name))
    .map((section) => ({
      code: 'NAME_INVALID',
      severity: 'error',
      file: '.SRCINFO',
      line: section.line,
      message: `'${section.name.slice(0, 100)}' is not a valid package name: use lowercase letters and digits, then also . + _ -`,
    }));
}
