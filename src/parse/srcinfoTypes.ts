// srcinfoTypes: the shapes a parsed .SRCINFO takes. They live apart from the
// parser so the resolver can use them without importing the parser.

import type { Problem } from '../catalog/problem.js';

export interface SrcinfoEntry {
  readonly key: string;
  /** Exactly as written after the first ` = `; empty for `key =` (an unset in a package section). */
  readonly value: string;
  /** 1-based. */
  readonly line: number;
}

export interface SrcinfoSection {
  /** The value of the `pkgbase = ` or `pkgname = ` line that opens the section. */
  readonly name: string;
  /** 1-based line of that opening line. */
  readonly line: number;
  /** In file order, without the opening line and without lines reported as errors. */
  readonly entries: readonly SrcinfoEntry[];
}

export interface Srcinfo {
  readonly pkgbase: SrcinfoSection;
  readonly packages: readonly SrcinfoSection[];
}

export interface ParseResult<T> {
  readonly value: T;
  readonly problems: readonly Problem[];
}

/**
 * The effective fields of one package: key -> values in order (duplicates
 * kept), pkgbase values inherited, overrides/unsets applied. Keys whose
 * effective list is empty are absent.
 */
export type SrcinfoFields = ReadonlyMap<string, readonly string[]>;
