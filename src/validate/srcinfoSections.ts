// Helpers the .SRCINFO rules share: every section with its entries, and the
// pkgbase entries (sources and checksums live only there) grouped by arch.

import { classifyKey } from '../parse/srcinfoKeys.js';
import type { Srcinfo, SrcinfoEntry, SrcinfoSection } from '../parse/srcinfo.js';

export function allSections(srcinfo: Srcinfo): readonly SrcinfoSection[] {
  return [srcinfo.pkgbase, ...srcinfo.packages];
}

/** `source`-like lists of pkgbase by architecture ('' for the generic key): base key → entries. */
export function pkgbaseListsByArch(srcinfo: Srcinfo): Map<string, Map<string, SrcinfoEntry[]>> {
  const byArch = new Map<string, Map<string, SrcinfoEntry[]>>();
  for (const entry of srcinfo.pkgbase.entries) {
    const info = classifyKey(entry.key);
    if (info === undefined || entry.value === '') continue;
    const arch = info.arch ?? '';
    let lists = byArch.get(arch);
    if (lists === undefined) byArch.set(arch, (lists = new Map()));
    let list = lists.get(info.base);
    if (list === undefined) lists.set(info.base, (list = []));
    list.push(entry);
  }
  return byArch;
}

/** makepkg's `name::url` form: the part after `::`, or the whole source. */
export function sourceLocation(source: string): string {
  const split = source.indexOf('::');
  return split === -1 ? source : source.slice(split + 2);
}

/** A source with a protocol (`https://`, `git+https://`, …) is downloaded; anything else is a file in the branch. */
export function isRemoteSource(source: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(sourceLocation(source));
}

/** Version-control sources (`git+https://…`, `git://…`) are fetched by revision and legitimately carry SKIP. */
export function isVcsSource(source: string): boolean {
  return /^(?:git|hg|svn|bzr|fossil)(?:\+|:\/\/)/.test(sourceLocation(source));
}
