// A Problem is how every parser and rule reports what is wrong with a branch.
// `code` is stable (tests and clients match on it); `message` is for people.

export type Severity = 'error' | 'warning';

export interface Problem {
  readonly code: string;
  readonly severity: Severity;
  /** The file on the branch the problem is about, e.g. `.SRCINFO`. */
  readonly file: string;
  /** 1-based line in `file`, when the problem has one. */
  readonly line?: number;
  readonly message: string;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((problem) => problem.severity === 'error');
}
