// cloneInfo: how a client gets a worker's build files with git, as the
// previous service answered on /workers/:id/clone-url.

export interface CloneInfo {
  readonly git_url: string;
  readonly branch: string;
  readonly clone_command: string;
}

export function cloneInfo(gitUrl: string, branch: string): CloneInfo {
  return { git_url: gitUrl, branch, clone_command: `git clone -b ${shellWord(branch)} ${shellWord(gitUrl)}` };
}

/** Quotes a word for a POSIX shell unless it is plainly safe; clients paste this command. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_~-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
