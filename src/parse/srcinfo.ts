// srcinfo: parseSrcinfo reads .SRCINFO text (as `makepkg --printsrcinfo`
// writes it and aurweb reads it) into a pkgbase section and package sections.
// Pure and linear in the input. Also the module others import from: it
// re-exports the types, resolvePackage, formatVersion and splitByArch.

import { classifyKey, isWellFormedKey } from './srcinfoKeys.js';
import { ProblemCollector, SrcinfoCode, quoteInput } from './srcinfoProblems.js';
import { checkArchSuffixes, checkRequired } from './srcinfoRules.js';
import type { ParseResult, Srcinfo, SrcinfoEntry, SrcinfoSection } from './srcinfoTypes.js';

export type { ParseResult, Srcinfo, SrcinfoEntry, SrcinfoFields, SrcinfoSection } from './srcinfoTypes.js';
export { formatVersion, resolvePackage, splitByArch } from './srcinfoResolve.js';
export { MAX_PROBLEMS, SrcinfoCode } from './srcinfoProblems.js';

interface SectionBuilder {
  readonly name: string;
  readonly line: number;
  readonly entries: SrcinfoEntry[];
  readonly isPackage: boolean;
  /** Single-valued keys seen so far, with their line, to report repeats. */
  readonly singles: Map<string, number>;
}

type ParsedLine =
  | { readonly kind: 'skip' }
  | { readonly kind: 'syntax'; readonly body: string }
  | { readonly kind: 'entry'; readonly key: string; readonly value: string };

const SKIP: ParsedLine = { kind: 'skip' };

/**
 * Lines that are errors (syntax, a repeated single-valued key, a pkgbase-only
 * key in a package section, everything in a duplicate section) are reported
 * and left out of the sections; lines that are only warnings stay in.
 * `value` is undefined only when no `pkgbase = ` line exists at all.
 */
export function parseSrcinfo(text: string): ParseResult<Srcinfo | undefined> {
  const problems = new ProblemCollector();
  let pkgbase: SectionBuilder | undefined;
  const packages: SectionBuilder[] = [];
  const packagesByName = new Map<string, SectionBuilder>();
  // undefined while lines are being discarded: before pkgbase, or after a duplicate section header.
  let current: SectionBuilder | undefined;
  let sawContent = false;
  let reportedNoPkgbase = false;

  const handle = (raw: string, line: number): void => {
    const parsed = parseLine(raw);
    if (parsed.kind === 'skip') return;
    sawContent = true;
    if (parsed.kind === 'syntax') {
      problems.add(SrcinfoCode.SYNTAX, 'error', line,
        () => `expected 'key = value' with a key of letters, digits and '_', got ${quoteInput(parsed.body)}`);
      return;
    }
    const { key, value } = parsed;
    if (key === 'pkgbase') {
      if (pkgbase !== undefined) {
        const firstLine = pkgbase.line;
        problems.add(SrcinfoCode.DUPLICATE_PKGBASE, 'error', line,
          () => `a second pkgbase ${quoteInput(value)} (the first is on line ${firstLine}); a .SRCINFO describes one pkgbase — its lines are ignored`);
        current = undefined;
        return;
      }
      current = pkgbase = newSection(value, line, false, problems);
      return;
    }
    if (pkgbase === undefined) {
      if (!reportedNoPkgbase) {
        problems.add(SrcinfoCode.NO_PKGBASE, 'error', line,
          () => `the first line must be 'pkgbase = NAME', got ${quoteInput(`${key} = ${value}`)}; regenerate with \`makepkg --printsrcinfo > .SRCINFO\``);
        reportedNoPkgbase = true;
      }
      return;
    }
    if (key === 'pkgname') {
      const first = packagesByName.get(value);
      if (first !== undefined) {
        problems.add(SrcinfoCode.DUPLICATE_PKGNAME, 'error', line,
          () => `pkgname ${quoteInput(value)} is already declared on line ${first.line}; each package needs its own name — this section is ignored`);
        current = undefined;
        return;
      }
      current = newSection(value, line, true, problems);
      packages.push(current);
      packagesByName.set(value, current);
      return;
    }
    if (current !== undefined) addEntry(current, key, value, line, problems);
  };

  forEachLine(text, handle);

  if (!sawContent) {
    problems.add(SrcinfoCode.EMPTY, 'error', undefined,
      () => '.SRCINFO is empty: generate it with `makepkg --printsrcinfo > .SRCINFO`');
    return { value: undefined, problems: problems.result() };
  }
  if (pkgbase === undefined) {
    if (!reportedNoPkgbase) {
      problems.add(SrcinfoCode.NO_PKGBASE, 'error', undefined,
        () => "there is no 'pkgbase = NAME' line; regenerate with `makepkg --printsrcinfo > .SRCINFO`");
    }
    return { value: undefined, problems: problems.result() };
  }

  const srcinfo: Srcinfo = Object.freeze({ pkgbase: freezeSection(pkgbase), packages: Object.freeze(packages.map(freezeSection)) });
  if (packages.length === 0) {
    problems.add(SrcinfoCode.NO_PKGNAME, 'error', pkgbase.line,
      () => "no 'pkgname = NAME' section follows pkgbase; add at least one package");
  }
  checkRequired(srcinfo, problems);
  checkArchSuffixes(srcinfo, problems);
  return { value: srcinfo, problems: problems.result() };
}

function newSection(name: string, line: number, isPackage: boolean, problems: ProblemCollector): SectionBuilder {
  if (name === '') {
    problems.add(SrcinfoCode.EMPTY_NAME, 'error', line,
      () => `${isPackage ? 'pkgname' : 'pkgbase'} has an empty name; give it the package's name`);
  }
  return { name, line, entries: [], isPackage, singles: new Map() };
}

function addEntry(section: SectionBuilder, key: string, value: string, line: number, problems: ProblemCollector): void {
  const info = classifyKey(key);
  if (info === undefined) {
    problems.add(SrcinfoCode.UNKNOWN_KEY, 'warning', line,
      () => `unknown key ${quoteInput(key)}; makepkg does not write it (check its spelling)`);
  } else if (section.isPackage && info.pkgbaseOnly) {
    problems.add(SrcinfoCode.KEY_NOT_ALLOWED, 'error', line,
      () => `${quoteInput(key)} is only valid in the pkgbase section, not in package ${quoteInput(section.name)}; move it to pkgbase`);
    return;
  } else if (info.singleValued) {
    const first = section.singles.get(key);
    if (first !== undefined) {
      problems.add(SrcinfoCode.DUPLICATE_KEY, 'error', line,
        () => `${quoteInput(key)} takes one value and was already set on line ${first}; remove one of them`);
      return;
    }
    section.singles.set(key, line);
  }
  section.entries.push({ key, value, line });
}

function freezeSection({ name, line, entries }: SectionBuilder): SrcinfoSection {
  return Object.freeze({ name, line, entries: Object.freeze(entries) });
}

/** Splits on LF only; a CR before it is trimmed with other trailing blanks. Drops a leading UTF-8 BOM. */
function forEachLine(text: string, handle: (raw: string, line: number) => void): void {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    handle(text.slice(start, end), line);
    start = end + 1;
    line += 1;
  }
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * Leading blanks are makepkg's indentation; trailing blanks (and a CR) are
 * dropped as aurweb's reader strips lines, which also turns `key = ` into
 * `key =`. Loops, not regexes: /[ \t]+$/ backtracks quadratically on long
 * runs of blanks.
 */
function parseLine(raw: string): ParsedLine {
  let start = 0;
  let end = raw.length;
  while (start < end && isBlank(raw.charCodeAt(start))) start += 1;
  while (end > start && (isBlank(raw.charCodeAt(end - 1)) || raw.charCodeAt(end - 1) === 0x0d)) end -= 1;
  if (start === end || raw.charCodeAt(start) === 0x23) return SKIP;
  const body = raw.slice(start, end);
  const separator = body.indexOf(' = ');
  let key: string;
  let value: string;
  if (separator !== -1) {
    key = body.slice(0, separator);
    value = body.slice(separator + 3);
  } else if (body.endsWith(' =')) {
    key = body.slice(0, -2);
    value = '';
  } else {
    return { kind: 'syntax', body };
  }
  return isWellFormedKey(key) ? { kind: 'entry', key, value } : { kind: 'syntax', body };
}
