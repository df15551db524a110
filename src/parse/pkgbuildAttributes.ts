// pkgbuildAttributes: the keys libmakepkg's srcinfo.sh writes, in its order
// (pacman 6.0.2): the pkgbase section's, a package section's, and the
// per-architecture ones written after each.

export const HASH_SUMS: readonly string[] = ['ck', 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'b2'].map((algo) => `${algo}sums`);
export const GLOBAL_SINGLE: readonly string[] = ['pkgdesc', 'pkgver', 'pkgrel', 'epoch', 'url', 'install', 'changelog'];
export const GLOBAL_MULTI: readonly string[] = ['arch', 'groups', 'license', 'checkdepends', 'makedepends', 'depends', 'optdepends', 'provides', 'conflicts', 'replaces', 'noextract', 'options', 'backup', 'source', 'validpgpkeys', ...HASH_SUMS];
export const PACKAGE_SINGLE: readonly string[] = ['pkgdesc', 'url', 'install', 'changelog'];
export const PACKAGE_MULTI: readonly string[] = ['arch', 'groups', 'license', 'checkdepends', 'depends', 'optdepends', 'provides', 'conflicts', 'replaces', 'options', 'backup'];
export const ARCH_MULTI: readonly string[] = ['source', 'provides', 'conflicts', 'depends', 'replaces', 'optdepends', 'makedepends', 'checkdepends', ...HASH_SUMS];

export function isSingleValuedPackageAttribute(name: string): boolean {
  return PACKAGE_SINGLE.includes(name);
}

/** A key a package function can set: a package key, or any per-arch key (`depends_x86_64`). */
export function isPackageAttribute(name: string): boolean {
  if (PACKAGE_SINGLE.includes(name) || PACKAGE_MULTI.includes(name)) return true;
  // Architectures hold underscores themselves (x86_64): match the key part, not the last '_'.
  return ARCH_MULTI.some((key) => name.startsWith(`${key}_`) && name.length > key.length + 1);
}
