// packageView: a worker's .SRCINFO fields for API clients. Unlike the AUR's
// RPC, architecture-specific lists stay apart ({all, x86_64, …}) and
// optdepends keep their descriptions.

import { splitByArch, type SrcinfoFields } from '../parse/srcinfo.js';
import { CHECKSUM_KEYS } from '../parse/srcinfoKeys.js';

type ByArch<T> = Readonly<Record<string, readonly T[]>>;

export interface OptionalDependency {
  readonly name: string;
  readonly description: string | undefined;
}

export interface PackageView {
  readonly pkgbase: string;
  readonly pkgnames: readonly string[];
  readonly pkgver: string | undefined;
  readonly pkgrel: string | undefined;
  readonly epoch: string | undefined;
  readonly pkgdesc: string | undefined;
  readonly url: string | undefined;
  readonly arch: readonly string[];
  readonly license: readonly string[];
  readonly groups: readonly string[];
  readonly depends: ByArch<string>;
  readonly makedepends: ByArch<string>;
  readonly checkdepends: ByArch<string>;
  readonly optdepends: ByArch<OptionalDependency>;
  readonly provides: ByArch<string>;
  readonly conflicts: ByArch<string>;
  readonly replaces: ByArch<string>;
  readonly source: ByArch<string>;
  /** Checksum lists by algorithm (`sha256sums`, `b2sums`, …), each split by architecture. */
  readonly checksums: Readonly<Record<string, ByArch<string>>>;
}

export function packageView(fields: SrcinfoFields, pkgbase: string, pkgnames: readonly string[]): PackageView {
  const single = (key: string): string | undefined => fields.get(key)?.[0];
  const list = (key: string): readonly string[] => fields.get(key) ?? [];
  const checksums: Record<string, ByArch<string>> = {};
  for (const key of CHECKSUM_KEYS) {
    const split = splitByArch(fields, key);
    if (Object.keys(split).length > 0) checksums[key] = split;
  }
  return {
    pkgbase,
    pkgnames,
    pkgver: single('pkgver'),
    pkgrel: single('pkgrel'),
    epoch: single('epoch'),
    pkgdesc: single('pkgdesc'),
    url: single('url'),
    arch: list('arch'),
    license: list('license'),
    groups: list('groups'),
    depends: splitByArch(fields, 'depends'),
    makedepends: splitByArch(fields, 'makedepends'),
    checkdepends: splitByArch(fields, 'checkdepends'),
    optdepends: mapByArch(splitByArch(fields, 'optdepends'), optionalDependency),
    provides: splitByArch(fields, 'provides'),
    conflicts: splitByArch(fields, 'conflicts'),
    replaces: splitByArch(fields, 'replaces'),
    source: splitByArch(fields, 'source'),
    checksums,
  };
}

/** `name: why` as makepkg writes optdepends; the description is optional. */
function optionalDependency(value: string): OptionalDependency {
  const separator = value.indexOf(': ');
  if (separator === -1) return { name: value.replace(/:$/, ''), description: undefined };
  return { name: value.slice(0, separator), description: value.slice(separator + 2) };
}

function mapByArch<T>(byArch: ByArch<string>, map: (value: string) => T): ByArch<T> {
  // Null prototype: an architecture named `__proto__` in a hostile .SRCINFO stays plain data.
  const mapped: Record<string, readonly T[]> = Object.create(null) as Record<string, readonly T[]>;
  for (const [arch, values] of Object.entries(byArch)) mapped[arch] = values.map(map);
  return mapped;
}
