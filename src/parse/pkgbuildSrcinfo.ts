// printSrcinfo: the .SRCINFO makepkg --printsrcinfo would write for a
// PKGBUILD (without its two header comment lines), from readPkgbuild's
// static reading — byte for byte what libmakepkg's srcinfo.sh prints, or
// undecidable. The order of keys, the per-arch keys after each section, the
// whitespace normalisation and which package sections get which keys all
// follow srcinfo.sh and util/pkgbuild.sh of pacman 6.0.2.

import { readPkgbuild } from './pkgbuildReader.js';
import type { Value } from './pkgbuildValues.js';

export type SrcinfoReading =
  | { readonly kind: 'decided'; readonly srcinfo: string }
  | { readonly kind: 'undecidable'; readonly reason: string; readonly line: number }
  | { readonly kind: 'syntax'; readonly line: number };

const HASH_SUMS = ['ck', 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'b2'].map((algo) => `${algo}sums`);
const GLOBAL_SINGLE = ['pkgdesc', 'pkgver', 'pkgrel', 'epoch', 'url', 'install', 'changelog'];
const GLOBAL_MULTI = ['arch', 'groups', 'license', 'checkdepends', 'makedepends', 'depends', 'optdepends', 'provides', 'conflicts', 'replaces', 'noextract', 'options', 'backup', 'source', 'validpgpkeys', ...HASH_SUMS];
const PACKAGE_SINGLE = ['pkgdesc', 'url', 'install', 'changelog'];
const PACKAGE_MULTI = ['arch', 'groups', 'license', 'checkdepends', 'depends', 'optdepends', 'provides', 'conflicts', 'replaces', 'options', 'backup'];
const ARCH_MULTI = ['source', 'provides', 'conflicts', 'depends', 'replaces', 'optdepends', 'makedepends', 'checkdepends', ...HASH_SUMS];

export async function printSrcinfo(pkgbuild: string): Promise<SrcinfoReading> {
  const reading = await readPkgbuild(pkgbuild);
  if (reading.kind !== 'decided') return reading;
  const { variables, functions } = reading;
  const pkgnames = asList(variables.get('pkgname'));
  if (pkgnames.length === 0 || pkgnames.every((name) => name === '')) return { kind: 'undecidable', reason: 'pkgname is not set: makepkg would refuse this PKGBUILD', line: 1 };

  // A package function that assigns attributes adds keys to its section (makepkg greps its body): not decided yet.
  const attributeNames = new Set([...PACKAGE_SINGLE, ...PACKAGE_MULTI]);
  for (const name of [...pkgnames.map((pkg) => `package_${pkg}`), 'package']) {
    const fn = functions.get(name);
    const assigned = fn === undefined ? undefined : [...fn.assigns].find((variable) => attributeNames.has(variable.replace(/_[^_]+$/, '')) || attributeNames.has(variable));
    if (fn !== undefined && assigned !== undefined) {
      return { kind: 'undecidable', reason: `${name}() sets ${assigned}: package-specific attributes are not read yet`, line: fn.line };
    }
  }

  const lines: string[] = [`pkgbase = ${scalar(variables.get('pkgbase')) || pkgnames[0]}`];
  for (const key of GLOBAL_SINGLE) {
    const value = scalar(variables.get(key));
    if (value !== '') lines.push(attribute(key, value));
  }
  for (const key of GLOBAL_MULTI) for (const value of asList(variables.get(key))) lines.push(attribute(key, value));
  for (const arch of asList(variables.get('arch'))) {
    if (arch === 'any') continue;
    for (const key of ARCH_MULTI) for (const value of asList(variables.get(`${key}_${arch}`))) lines.push(attribute(`${key}_${arch}`, value));
  }
  for (const name of pkgnames) lines.push('', `pkgname = ${name}`);
  return { kind: 'decided', srcinfo: `${lines.join('\n')}\n` };
}

/** `${!attr}`: a scalar, or an array's first element. */
function scalar(value: Value | undefined): string {
  return value === undefined ? '' : typeof value === 'string' ? value : (value[0] ?? '');
}

/** An attribute as an array: a scalar is a one-element array, as array_build makes it. */
function asList(value: Value | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

/** srcinfo_write_attr: runs of whitespace become one space, then one leading and one trailing space go. */
function attribute(key: string, value: string): string {
  const normalised = value.replace(/[ \t\n\r\v\f]+/g, ' ').replace(/^[ \t\n\r\v\f]/, '').replace(/[ \t\n\r\v\f]$/, '');
  return `\t${key} = ${normalised}`;
}
