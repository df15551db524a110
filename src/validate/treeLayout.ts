// treeLayout: a worker branch is a handful of small text files. Folders other
// than patches/, keys/ and LICENSES/, submodules, blobs over 256 kB (aurweb's
// limit: binaries belong in sources, pinned by checksum) and trees too large
// to list are refused.

import type { Problem } from '../catalog/problem.js';
import { MAX_TREE_ENTRIES } from '../git/readBranchFiles.js';
import type { BranchInput } from './branchInput.js';

export const MAX_BLOB_BYTES = 256 * 1024;
const ALLOWED_FOLDERS: ReadonlySet<string> = new Set(['patches', 'keys', 'LICENSES']);

export function treeLayout({ tree, treeTruncated }: BranchInput): Problem[] {
  const problems: Problem[] = [];
  if (treeTruncated) {
    problems.push({ code: 'TREE_TOO_LARGE', severity: 'error', file: '', message: `the branch holds more than ${MAX_TREE_ENTRIES} files and folders` });
  }
  for (const entry of tree) {
    const shown = entry.path.slice(0, 200);
    if (entry.type === 'tree' && !entry.path.includes('/') && !ALLOWED_FOLDERS.has(entry.path)) {
      problems.push({ code: 'SUBDIRECTORY_NOT_ALLOWED', severity: 'error', file: shown, message: `folder '${shown}/' is not allowed: only patches/, keys/ and LICENSES/` });
    } else if (entry.type === 'commit') {
      problems.push({ code: 'SUBMODULE_NOT_ALLOWED', severity: 'error', file: shown, message: `'${shown}' is a submodule: commit the files or fetch them as a source` });
    } else if (entry.size !== undefined && entry.size > MAX_BLOB_BYTES) {
      problems.push({ code: 'BLOB_TOO_LARGE', severity: 'error', file: shown, message: `'${shown}' is ${entry.size} bytes; at most ${MAX_BLOB_BYTES} (256 kB) per file: download large files as sources` });
    }
  }
  return problems;
}
