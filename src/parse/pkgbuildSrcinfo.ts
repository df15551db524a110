// printSrcinfo: the .SRCINFO makepkg --printsrcinfo would write for a
// PKGBUILD (without its two header comment lines), from readPkgbuild's
// static reading — byte for byte what libmakepkg's srcinfo.sh prints, or
// undecidable. The order of keys, the per-arch keys after each section, the
// whitespace normalisation and which package sections get which keys all
// follow srcinfo.sh and util/pkgbuild.sh of pacman 6.0.2.

import { readPkgbuild } from './pkgbuildReader.js';
import { ARCH_MULTI, GLOBAL_MULTI, GLOBAL_SINGLE, PACKAGE_MULTI, PACKAGE_SINGLE } from './pkgbuildAttributes.js';
import type { FunctionAttribute, PkgbuildFunction } from './pkgbuildReader.js';
import { listOf, scalarOf, type Value } from './pkgbuildValues.js';

export type SrcinfoReading =
  | { readonly kind: 'decided'; readonly srcinfo: string }
  | { readonly kind: 'undecidable'; readonly reason: string; readonly line: number }
  | { readonly kind: 'syntax'; readonly line: number };

export async function printSrcinfo(pkgbuild: string): Promise<SrcinfoReading> {
  const reading = await readPkgbuild(pkgbuild);
  if (reading.kind !== 'decided') return reading;
  const { variables, functions } = reading;
  const pkgnames = listOf(variables.get('pkgname'));
  if (pkgnames.length === 0 || pkgnames.every((name) => name === '')) return { kind: 'undecidable', reason: 'pkgname is not set: makepkg would refuse this PKGBUILD', line: 1 };

  const lines: string[] = [`pkgbase = ${scalarOf(variables.get('pkgbase')) || pkgnames[0]}`];
  for (const key of GLOBAL_SINGLE) {
    const value = scalarOf(variables.get(key));
    if (value !== '') lines.push(attribute(key, value));
  }
  for (const key of GLOBAL_MULTI) for (const value of listOf(variables.get(key))) lines.push(attribute(key, value));
  for (const arch of listOf(variables.get('arch'))) {
    if (arch === 'any') continue;
    for (const key of ARCH_MULTI) for (const value of listOf(variables.get(`${key}_${arch}`))) lines.push(attribute(`${key}_${arch}`, value));
  }
  for (const name of pkgnames) {
    lines.push('', `pkgname = ${name}`);
    // grep_function: package_NAME, or package when there is none.
    const fn = functions.get(`package_${name}`) ?? functions.get('package');
    lines.push(...packageSection(variables, fn));
  }
  return { kind: 'decided', srcinfo: `${lines.join('\n')}\n` };
}

/**
 * A package section holds only the keys its package function sets
 * (get_pkgbuild_attribute succeeds only then), each starting from the global
 * value (so `+=` appends to it); a key set to nothing is written as `key = `.
 */
function packageSection(globals: ReadonlyMap<string, Value>, fn: PkgbuildFunction | undefined): string[] {
  const set = new Map<string, Value>();
  for (const attribute of fn?.attributes ?? []) set.set(attribute.name, applied(set.get(attribute.name) ?? globals.get(attribute.name), attribute));
  const lines: string[] = [];
  const write = (key: string, multi: boolean): void => {
    const value = set.get(key);
    if (value === undefined) return;
    const values = multi ? listOf(value) : [scalarOf(value)];
    // printf with no arguments still prints its format once: an emptied key shows as `key = `.
    if (values.length === 0) lines.push(`\t${key} = `);
    else for (const item of values) lines.push(attribute(key, item));
  };
  for (const key of PACKAGE_SINGLE) write(key, false);
  for (const key of PACKAGE_MULTI) write(key, true);
  const arches = listOf(set.get('arch') ?? globals.get('arch'));
  for (const arch of arches) {
    if (arch === 'any') continue;
    for (const key of ARCH_MULTI) write(`${key}_${arch}`, true);
  }
  return lines;
}

/** One eval'd line: `key=value` replaces, `key+=value` appends (to the global value, at first). */
function applied(before: Value | undefined, attribute: FunctionAttribute): Value {
  if (!attribute.append || before === undefined) return attribute.value;
  // The reader lets only arrays reach list keys and scalars reach single keys, which are written as their first value.
  return typeof attribute.value === 'string' ? scalarOf(before) + attribute.value : [...listOf(before), ...attribute.value];
}

/** srcinfo_write_attr: runs of whitespace become one space, then one leading and one trailing space go. */
function attribute(key: string, value: string): string {
  const normalised = value.replace(/[ \t\n\r\v\f]+/g, ' ').replace(/^[ \t\n\r\v\f]/, '').replace(/[ \t\n\r\v\f]$/, '');
  return `\t${key} = ${normalised}`;
}
