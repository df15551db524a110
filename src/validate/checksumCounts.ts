// checksumCounts: makepkg pairs each checksum with the source at the same
// position, per architecture (`sha256sums_x86_64` with `source_x86_64`). A
// list of another length, or sources with no checksums at all, make makepkg
// refuse to build — so the catalog refuses to serve them.

import type { Problem } from '../catalog/problem.js';
import { CHECKSUM_KEYS } from '../parse/srcinfoKeys.js';
import type { BranchInput } from './branchInput.js';
import { pkgbaseListsByArch } from './srcinfoSections.js';

export function checksumCounts({ srcinfo }: BranchInput): Problem[] {
  if (srcinfo === undefined) return [];
  const problems: Problem[] = [];
  for (const [arch, lists] of pkgbaseListsByArch(srcinfo)) {
    const sources = lists.get('source') ?? [];
    const suffix = arch === '' ? '' : `_${arch}`;
    const kinds = CHECKSUM_KEYS.filter((kind) => lists.has(kind));
    if (sources.length > 0 && kinds.length === 0) {
      problems.push({
        code: 'CHECKSUMS_MISSING',
        severity: 'error',
        file: '.SRCINFO',
        line: sources[0]!.line,
        message: `source${suffix} has ${sources.length} entries and no checksums: add sha256sums${suffix} (SKIP only for version-control sources)`,
      });
    }
    for (const kind of kinds) {
      const sums = lists.get(kind)!;
      if (sums.length === sources.length) continue;
      problems.push({
        code: 'CHECKSUM_COUNT_MISMATCH',
        severity: 'error',
        file: '.SRCINFO',
        line: sums[0]!.line,
        message: `${kind}${suffix} has ${sums.length} entries but source${suffix} has ${sources.length}: one checksum per source, in the same order`,
      });
    }
  }
  return problems;
}
