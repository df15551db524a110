// srcinfoKeys: the .SRCINFO key tables (as pacman's libmakepkg schema.sh
// defines them) and classifyKey, which maps a key such as
// `sha256sums_x86_64` to its base key and architecture.

export const CHECKSUM_KEYS: readonly string[] = [
  'cksums', 'md5sums', 'sha1sums', 'sha224sums', 'sha256sums', 'sha384sums', 'sha512sums', 'b2sums',
];

/** Keys that hold one value; repeating one in a section is an error. */
export const SINGLE_VALUED_KEYS: ReadonlySet<string> = new Set([
  'pkgdesc', 'pkgver', 'pkgrel', 'epoch', 'url', 'install', 'changelog',
]);

/** Keys that may repeat; order and duplicates matter (checksums align with sources by position). */
export const REPEATABLE_KEYS: ReadonlySet<string> = new Set([
  'arch', 'groups', 'license', 'checkdepends', 'makedepends', 'depends', 'optdepends', 'provides',
  'conflicts', 'replaces', 'noextract', 'options', 'backup', 'source', 'validpgpkeys', ...CHECKSUM_KEYS,
]);

/**
 * Keys that also exist as `KEY_ARCH`. noextract is not one: libmakepkg's
 * pkgbuild_schema_arch_arrays leaves it out, so `noextract_x86_64` is unknown.
 */
export const ARCH_AWARE_KEYS: ReadonlySet<string> = new Set([
  'source', 'depends', 'makedepends', 'checkdepends', 'optdepends', 'provides', 'conflicts', 'replaces',
  ...CHECKSUM_KEYS,
]);

/** Keys makepkg only writes in the pkgbase section (with their `_ARCH` variants). */
export const PKGBASE_ONLY_KEYS: ReadonlySet<string> = new Set([
  'pkgver', 'pkgrel', 'epoch', 'makedepends', 'checkdepends', 'source', 'validpgpkeys', 'noextract',
  ...CHECKSUM_KEYS,
]);

/** Keys that open a section rather than describe one. */
export const SECTION_KEYS: ReadonlySet<string> = new Set(['pkgbase', 'pkgname']);

export interface KeyInfo {
  /** The key without its architecture suffix: `depends` for `depends_x86_64`. */
  readonly base: string;
  /** The architecture of a `KEY_ARCH` key; undefined for the generic key. */
  readonly arch: string | undefined;
  readonly singleValued: boolean;
  readonly pkgbaseOnly: boolean;
}

// A bash variable name is what makepkg can write; anything else is not a key.
const KEY_PATTERN = /^[A-Za-z0-9_]+$/;

export function isWellFormedKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** Undefined for keys makepkg never writes (they stay in the section, as unknown keys). */
export function classifyKey(key: string): KeyInfo | undefined {
  if (SINGLE_VALUED_KEYS.has(key) || REPEATABLE_KEYS.has(key)) {
    return { base: key, arch: undefined, singleValued: SINGLE_VALUED_KEYS.has(key), pkgbaseOnly: PKGBASE_ONLY_KEYS.has(key) };
  }
  const base = archAwareBaseOf(key);
  if (base === undefined) return undefined;
  return { base, arch: key.slice(base.length + 1), singleValued: false, pkgbaseOnly: PKGBASE_ONLY_KEYS.has(base) };
}

// No arch-aware key is `OTHER_` + something, so at most one base can match.
function archAwareBaseOf(key: string): string | undefined {
  for (const base of ARCH_AWARE_KEYS) {
    if (key.length > base.length + 1 && key.startsWith(base) && key.charCodeAt(base.length) === 0x5f) return base;
  }
  return undefined;
}
