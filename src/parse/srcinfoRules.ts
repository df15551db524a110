// srcinfoRules: checks that need whole sections rather than one line —
// required keys (pkgver, pkgrel, an arch per package) and `KEY_ARCH` keys
// whose architecture the section does not build for.

import { classifyKey } from './srcinfoKeys.js';
import { type ProblemCollector, SrcinfoCode, quoteInput } from './srcinfoProblems.js';
import type { Srcinfo, SrcinfoSection } from './srcinfoTypes.js';

function archValues(section: SrcinfoSection): string[] | undefined {
  const own = section.entries.filter((entry) => entry.key === 'arch');
  return own.length === 0 ? undefined : own.map((entry) => entry.value).filter((value) => value !== '');
}

/**
 * Every section's arch list: its own when it declares `arch`, else the one it
 * inherits from pkgbase. pkgbase is read once, so many packages stay linear.
 */
function archesBySection(srcinfo: Srcinfo): Map<SrcinfoSection, readonly string[]> {
  const inherited = archValues(srcinfo.pkgbase) ?? [];
  const arches = new Map<SrcinfoSection, readonly string[]>([[srcinfo.pkgbase, inherited]]);
  for (const section of srcinfo.packages) arches.set(section, archValues(section) ?? inherited);
  return arches;
}

export function checkRequired(srcinfo: Srcinfo, problems: ProblemCollector): void {
  const { pkgbase } = srcinfo;
  for (const key of ['pkgver', 'pkgrel']) {
    if (pkgbase.entries.some((entry) => entry.key === key && entry.value !== '')) continue;
    problems.add(SrcinfoCode.MISSING_REQUIRED, 'error', pkgbase.line,
      () => `pkgbase ${quoteInput(pkgbase.name)} has no ${key}: set ${key} in the PKGBUILD and regenerate .SRCINFO`);
  }
  // Without packages there is nothing to inherit into, so pkgbase itself must name an arch.
  const sections = srcinfo.packages.length > 0 ? srcinfo.packages : [pkgbase];
  const arches = archesBySection(srcinfo);
  for (const section of sections) {
    if ((arches.get(section) ?? []).length > 0) continue;
    problems.add(SrcinfoCode.MISSING_REQUIRED, 'error', section.line,
      () => `${quoteInput(section.name)} has no arch: add 'arch = x86_64' (or the arches it builds for) to pkgbase or to this package`);
  }
}

export function checkArchSuffixes(srcinfo: Srcinfo, problems: ProblemCollector): void {
  // Packages that inherit share pkgbase's list object, so they share one Set too.
  const sets = new Map<readonly string[], Set<string>>();
  for (const [section, list] of archesBySection(srcinfo)) {
    let arches = sets.get(list);
    if (arches === undefined) sets.set(list, (arches = new Set(list)));
    for (const entry of section.entries) {
      const arch = classifyKey(entry.key)?.arch;
      if (arch === undefined || arches.has(arch)) continue;
      problems.add(SrcinfoCode.ARCH_UNKNOWN, 'warning', entry.line,
        () => `${quoteInput(entry.key)} is for arch ${quoteInput(arch)}, which is not in the arch list ` +
          `of ${quoteInput(section.name)} (${quoteInput(list.slice(0, 20).join(', '))}): add it to arch or drop the key`);
    }
  }
}
