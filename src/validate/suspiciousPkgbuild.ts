// suspiciousPkgbuild (warnings): PKGBUILD lines a reviewer must look at —
// downloads piped into a shell, sudo, rm -rf of the root, eval of fetched or
// computed text, and writes to system folders outside $pkgdir. The PKGBUILD
// is never run; these are patterns over its text, line by line (comments
// skipped), so they flag for review rather than reject.

import type { Problem } from '../catalog/problem.js';
import type { BranchInput } from './branchInput.js';

const SYSTEM_PATH = String.raw`["']?/(?:usr|etc|opt|var|bin|sbin|lib|lib64|home|root|boot|srv)(?:/|["'\s]|$)`;

const PATTERNS: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  { pattern: /\b(?:curl|wget)\b[^#|]*\|\s*(?:sudo\s+)?(?:ba|da|z|k)?sh\b/, why: 'pipes a download into a shell' },
  { pattern: /(?:^|[;&|(\s])sudo\s/, why: 'runs sudo (makepkg never needs it)' },
  { pattern: /\brm\s+(?:-[A-Za-z]*\s+)*-[A-Za-z]*[rR][A-Za-z]*\s+(?:-[A-Za-z-]+\s+)*["']?\/(?:\*|["']?(?:\s|$|;))/, why: 'removes the root folder' },
  { pattern: /--no-preserve-root/, why: 'removes the root folder' },
  { pattern: /\beval\b[^#]*(?:\$\(|`|\bcurl\b|\bwget\b)/, why: 'evaluates computed or downloaded text' },
  { pattern: new RegExp(String.raw`>>?\s*${SYSTEM_PATH}`), why: 'writes to a system folder' },
  { pattern: new RegExp(String.raw`\b(?:cp|mv|install|ln|mkdir|touch|tee|chmod|chown)\b[^#]*\s${SYSTEM_PATH}`), why: 'writes to a system folder' },
];

export function suspiciousPkgbuild({ texts }: BranchInput): Problem[] {
  const pkgbuild = texts.get('PKGBUILD');
  if (pkgbuild === undefined) return [];
  const problems: Problem[] = [];
  pkgbuild.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    // $pkgdir/${pkgdir} and $srcdir are the build's own folders; writes there are the point.
    const outsideBuild = line.replace(/"?\$\{?(?:pkgdir|srcdir)\}?[^\s"']*"?/g, ' BUILDDIR ');
    for (const { pattern, why } of PATTERNS) {
      if (!pattern.test(outsideBuild)) continue;
      problems.push({ code: 'PKGBUILD_SUSPICIOUS', severity: 'warning', file: 'PKGBUILD', line: index + 1, message: `line ${index + 1} ${why}: ${line.slice(0, 120)}` });
      break;
    }
  });
  return problems;
}
