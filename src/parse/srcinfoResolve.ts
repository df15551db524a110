// srcinfoResolve: from a parsed .SRCINFO to one package's effective fields
// (resolvePackage), its version string (formatVersion) and an arch-aware
// key's lists per architecture (splitByArch).

import { ARCH_AWARE_KEYS, PKGBASE_ONLY_KEYS, SECTION_KEYS, classifyKey, isWellFormedKey } from './srcinfoKeys.js';
import type { Srcinfo, SrcinfoFields } from './srcinfoTypes.js';

/**
 * The fields of package `pkgname` as makepkg would build it: every pkgbase
 * key, then each key the package section declares replaces the inherited
 * list for that exact key (`depends` does not touch `depends_x86_64`); a
 * declaration with an empty value contributes nothing, so `depends =` alone
 * unsets. `pkgbase` and `pkgname` are included as one-value lists
 * (when not empty).
 * Undefined when no package section has that name.
 */
export function resolvePackage(srcinfo: Srcinfo, pkgname: string): SrcinfoFields | undefined {
  const pkg = srcinfo.packages.find((section) => section.name === pkgname);
  if (pkg === undefined) return undefined;

  const fields = new Map<string, string[]>([['pkgbase', [srcinfo.pkgbase.name]], ['pkgname', [pkg.name]]]);
  for (const [key, [name]] of fields) if (name === '') fields.delete(key);
  for (const { key, value } of srcinfo.pkgbase.entries) {
    if (SECTION_KEYS.has(key)) continue;
    let values = fields.get(key);
    if (values === undefined) fields.set(key, (values = []));
    if (value !== '') values.push(value);
  }

  const declared = new Set<string>();
  for (const { key, value } of pkg.entries) {
    // The parser already drops these; a hand-built Srcinfo must not change pkgver or sources per package either.
    if (SECTION_KEYS.has(key) || PKGBASE_ONLY_KEYS.has(classifyKey(key)?.base ?? '')) continue;
    let values = declared.has(key) ? fields.get(key) : undefined;
    if (values === undefined) {
      declared.add(key);
      // set() on an existing key keeps its place, so inherited keys keep pkgbase order.
      fields.set(key, (values = []));
    }
    if (value !== '') values.push(value);
  }

  for (const [key, values] of fields) if (values.length === 0) fields.delete(key);
  return fields;
}

/** `[epoch:]pkgver-pkgrel`; like makepkg, an epoch of 0 is left out. Undefined without pkgver or pkgrel. */
export function formatVersion(fields: SrcinfoFields): string | undefined {
  const pkgver = fields.get('pkgver')?.[0];
  const pkgrel = fields.get('pkgrel')?.[0];
  if (pkgver === undefined || pkgrel === undefined) return undefined;
  const epoch = fields.get('epoch')?.[0];
  // makepkg tests `(( epoch > 0 ))`, so `00` is omitted too; a non-numeric epoch is kept for validation to flag.
  if (epoch === undefined || /^0+$/.test(epoch)) return `${pkgver}-${pkgrel}`;
  return `${epoch}:${pkgver}-${pkgrel}`;
}

/**
 * `baseKey`'s values split by architecture: `all` holds the generic list,
 * each other property the `baseKey_ARCH` list, e.g. depends ->
 * `{ all: [...], x86_64: [...] }`. Only lists with values appear.
 *
 * The result is a frozen object with a null prototype: architectures come
 * from the input, and `__proto__` or `constructor` must stay plain data.
 * A suffix `_all` is skipped so `all` always means the generic list.
 * For keys that have no arch variants (license, arch, …) only `all` appears.
 */
export function splitByArch(fields: SrcinfoFields, baseKey: string): Record<string, readonly string[]> {
  const byArch = Object.create(null) as Record<string, readonly string[]>;
  const generic = fields.get(baseKey);
  if (generic !== undefined && generic.length > 0) byArch.all = [...generic];
  if (ARCH_AWARE_KEYS.has(baseKey)) {
    const prefix = `${baseKey}_`;
    for (const [key, values] of fields) {
      if (key.length <= prefix.length || !key.startsWith(prefix) || !isWellFormedKey(key)) continue;
      const arch = key.slice(prefix.length);
      if (arch !== 'all' && values.length > 0) byArch[arch] = [...values];
    }
  }
  return Object.freeze(byArch);
}
