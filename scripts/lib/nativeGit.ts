// Runs the native `git` binary for tests and benchmarks: the independent
// oracle that checks what isomorphic-git wrote, the client that pushes to the
// test server, and fast-import for the synthetic catalogs. Asynchronous, since
// the loopback git server may share the process. The environment is pinned so
// a developer's ~/.gitconfig cannot change results.

import { execFile } from 'node:child_process';

export const TEST_GIT_ENV: Readonly<Record<string, string>> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: '/nonexistent',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Test Pusher',
  GIT_AUTHOR_EMAIL: 'pusher@rbee.invalid',
  GIT_COMMITTER_NAME: 'Test Pusher',
  GIT_COMMITTER_EMAIL: 'pusher@rbee.invalid',
  LANG: 'C',
};

export interface GitOptions {
  readonly cwd?: string;
  /** Bytes fed to git's stdin. */
  readonly input?: string | Buffer;
  readonly timeoutMs?: number;
  /** Added to TEST_GIT_ENV, e.g. GIT_COMMITTER_DATE. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs `git ARGS` and resolves with stdout; rejects with stderr on a non-zero exit. */
export function git(args: readonly string[], options: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { cwd: options.cwd, env: { ...TEST_GIT_ENV, ...options.env }, timeout: options.timeoutMs ?? 20_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`git ${args.join(' ')} failed: ${stderr || error.message}`));
        else resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
