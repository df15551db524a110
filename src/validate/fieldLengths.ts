// fieldLengths: aurweb's limits — pkgname and pkgdesc at most 255 characters,
// url and every source at most 8000.

import type { Problem } from '../catalog/problem.js';
import { classifyKey } from '../parse/srcinfoKeys.js';
import type { BranchInput } from './branchInput.js';
import { allSections } from './srcinfoSections.js';

const LIMITS: Readonly<Record<string, number>> = { pkgdesc: 255, url: 8000, source: 8000 };
const NAME_LIMIT = 255;

export function fieldLengths({ srcinfo }: BranchInput): Problem[] {
  if (srcinfo === undefined) return [];
  const problems: Problem[] = [];
  const tooLong = (what: string, length: number, limit: number, line: number): void => {
    problems.push({ code: 'FIELD_TOO_LONG', severity: 'error', file: '.SRCINFO', line, message: `${what} is ${length} characters long; at most ${limit} are allowed` });
  };
  for (const section of allSections(srcinfo)) {
    if (section.name.length > NAME_LIMIT) tooLong('the package name', section.name.length, NAME_LIMIT, section.line);
    for (const entry of section.entries) {
      const limit = LIMITS[classifyKey(entry.key)?.base ?? entry.key];
      if (limit !== undefined && entry.value.length > limit) tooLong(entry.key, entry.value.length, limit, entry.line);
    }
  }
  return problems;
}
