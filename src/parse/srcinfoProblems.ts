// srcinfoProblems: the .SRCINFO problem codes, a bounded problem collector
// and quoteInput, which keeps messages short and printable whatever the input.

import type { Problem, Severity } from '../catalog/problem.js';

export const SRCINFO_FILE = '.SRCINFO';

/** Stable codes; clients and tests match on these, never on message text. */
export const SrcinfoCode = {
  EMPTY: 'SRCINFO_EMPTY',
  SYNTAX: 'SRCINFO_SYNTAX',
  NO_PKGBASE: 'SRCINFO_NO_PKGBASE',
  NO_PKGNAME: 'SRCINFO_NO_PKGNAME',
  DUPLICATE_PKGBASE: 'SRCINFO_DUPLICATE_PKGBASE',
  DUPLICATE_PKGNAME: 'SRCINFO_DUPLICATE_PKGNAME',
  EMPTY_NAME: 'SRCINFO_EMPTY_NAME',
  DUPLICATE_KEY: 'SRCINFO_DUPLICATE_KEY',
  UNKNOWN_KEY: 'SRCINFO_UNKNOWN_KEY',
  KEY_NOT_ALLOWED: 'SRCINFO_KEY_NOT_ALLOWED',
  MISSING_REQUIRED: 'SRCINFO_MISSING_REQUIRED',
  ARCH_UNKNOWN: 'SRCINFO_ARCH_UNKNOWN',
  TOO_MANY_PROBLEMS: 'SRCINFO_TOO_MANY_PROBLEMS',
} as const;

export type SrcinfoCode = (typeof SrcinfoCode)[keyof typeof SrcinfoCode];

/** Enough to show what is wrong in a commit status without storing a flood from a hostile file. */
export const MAX_PROBLEMS = 100;

const QUOTE_LIMIT = 80;

/**
 * Collects problems up to MAX_PROBLEMS; past that it only counts, so a 10 MB
 * file of garbage costs memory for 100 problems, not for a million.
 */
export class ProblemCollector {
  readonly #problems: Problem[] = [];
  #dropped = 0;
  #droppedError = false;

  /** `message` is a function so problems past the cap cost no formatting. */
  add(code: SrcinfoCode, severity: Severity, line: number | undefined, message: () => string): void {
    if (this.#problems.length >= MAX_PROBLEMS) {
      this.#dropped += 1;
      this.#droppedError ||= severity === 'error';
      return;
    }
    this.#problems.push(line === undefined
      ? { code, severity, file: SRCINFO_FILE, message: message() }
      : { code, severity, file: SRCINFO_FILE, line, message: `line ${line}: ${message()}` });
  }

  /** In line order (problems without a line last); one summary problem stands for the dropped ones. */
  result(): readonly Problem[] {
    const sorted = this.#problems
      .map((problem, index) => ({ problem, index }))
      .sort((a, b) => (a.problem.line ?? Infinity) - (b.problem.line ?? Infinity) || a.index - b.index)
      .map(({ problem }) => problem);
    if (this.#dropped > 0) {
      // The summary keeps the worst dropped severity so hasErrors() never changes because of the cap.
      sorted.push({
        code: SrcinfoCode.TOO_MANY_PROBLEMS,
        severity: this.#droppedError ? 'error' : 'warning',
        file: SRCINFO_FILE,
        message: `${this.#dropped} more problems not shown; fix the ones above and regenerate with \`makepkg --printsrcinfo > .SRCINFO\``,
      });
    }
    return Object.freeze(sorted);
  }
}

/**
 * Input quoted for a message: at most QUOTE_LIMIT code points, control
 * characters escaped, so a message never carries NULs, newlines or megabytes.
 */
export function quoteInput(text: string): string {
  let out = '';
  let count = 0;
  for (const char of text) {
    if (count === QUOTE_LIMIT) return `'${out}…'`;
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\ufffd'; // a lone surrogate is not text
    else out += char;
    count += 1;
  }
  return `'${out}'`;
}
