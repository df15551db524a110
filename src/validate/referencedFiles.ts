// referencedFiles: what the build names from the branch itself — install and
// changelog files, and local sources — must be in the branch, as aurweb's
// push hook requires; a missing one fails the build on every machine.

import type { Problem } from '../catalog/problem.js';
import type { BranchInput } from './branchInput.js';
import { allSections, isRemoteSource, sourceLocation } from './srcinfoSections.js';
import { classifyKey } from '../parse/srcinfoKeys.js';

export function referencedFiles({ srcinfo, tree, treeTruncated }: BranchInput): Problem[] {
  // Without a complete listing, absence proves nothing (treeLayout reports the truncation).
  if (srcinfo === undefined || treeTruncated) return [];
  const blobs = new Set(tree.filter((entry) => entry.type === 'blob').map((entry) => entry.path));
  const problems: Problem[] = [];
  for (const section of allSections(srcinfo)) {
    for (const entry of section.entries) {
      const base = classifyKey(entry.key)?.base;
      let file: string | undefined;
      if ((base === 'install' || base === 'changelog') && entry.value !== '') file = entry.value;
      else if (base === 'source' && entry.value !== '' && !isRemoteSource(entry.value)) file = sourceLocation(entry.value);
      if (file === undefined || blobs.has(file)) continue;
      problems.push({
        code: 'REFERENCED_FILE_MISSING',
        severity: 'error',
        file: '.SRCINFO',
        line: entry.line,
        message: `${entry.key} names '${file.slice(0, 200)}', which is not in the branch: commit it or fix the name`,
      });
    }
  }
  return problems;
}
