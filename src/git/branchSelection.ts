// BranchSelection: which branches of the repository are the catalog's — the
// default branch (not a worker) named outright, and include/exclude globs for
// worker branches (`*` any run of characters, `?` one). A branch is a worker
// branch when it matches an include pattern (none given: every branch) and
// no exclude pattern. Patterns are checked at configuration time; matching
// is anchored and never a regular expression built from raw input.

export interface BranchSelection {
  /** The default branch's name; absent: HEAD's target, else main or master. */
  readonly defaultBranch?: string | undefined;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** The characters a pattern may hold: a branch name's, plus `*` and `?`. */
export const BRANCH_PATTERN = /^[A-Za-z0-9._+/*?-]{1,200}$/;

export function isSelectedBranch(selection: BranchSelection | undefined, name: string): boolean {
  if (selection === undefined) return true;
  const included = selection.include.length === 0 || selection.include.some((pattern) => matchesGlob(pattern, name));
  return included && !selection.exclude.some((pattern) => matchesGlob(pattern, name));
}

/** `*` and `?` over the whole name, by backtracking over the last `*` (linear for these patterns, no RegExp). */
export function matchesGlob(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p += 1;
      n += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      resume = n;
      p += 1;
    } else if (star !== -1) {
      p = star + 1;
      resume += 1;
      n = resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}
