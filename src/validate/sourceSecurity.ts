// sourceSecurity (warnings): sources fetched over a channel anyone on the
// path can change (http://, ftp://, git://), and SKIP checksums on downloaded
// files that are not version-control checkouts — a prebuilt binary must be
// pinned by its digest, or a compromised release server serves anything.

import type { Problem } from '../catalog/problem.js';
import { CHECKSUM_KEYS } from '../parse/srcinfoKeys.js';
import type { BranchInput } from './branchInput.js';
import { isRemoteSource, isVcsSource, pkgbaseListsByArch, sourceLocation } from './srcinfoSections.js';

const SECURE = /^(?:git\+)?https:\/\//;

export function sourceSecurity({ srcinfo }: BranchInput): Problem[] {
  if (srcinfo === undefined) return [];
  const problems: Problem[] = [];
  for (const [arch, lists] of pkgbaseListsByArch(srcinfo)) {
    const sources = lists.get('source') ?? [];
    sources.forEach((source, index) => {
      if (!isRemoteSource(source.value)) return;
      const location = sourceLocation(source.value);
      if (!SECURE.test(location)) {
        problems.push({
          code: 'SOURCE_NOT_HTTPS',
          severity: 'warning',
          file: '.SRCINFO',
          line: source.line,
          message: `${source.key} '${location.slice(0, 200)}' is not fetched over https:// (or git+https://)`,
        });
      }
      if (isVcsSource(source.value)) return;
      for (const kind of CHECKSUM_KEYS) {
        const sum = lists.get(kind)?.[index];
        if (sum?.value !== 'SKIP') continue;
        problems.push({
          code: 'CHECKSUM_SKIPPED',
          severity: 'warning',
          file: '.SRCINFO',
          line: sum.line,
          message: `${sum.key} skips the check of the downloaded ${location.slice(0, 200)}${arch === '' ? '' : ` (${arch})`}: pin its real digest`,
        });
      }
    });
  }
  return problems;
}
