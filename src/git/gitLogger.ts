// GitLogger: the slice of a pino logger the git layer writes to, and a silent
// default so library callers that pass none get no output.

export type GitLogMethod = (details: Record<string, unknown>, message: string) => void;

export interface GitLogger {
  readonly debug: GitLogMethod;
  readonly info: GitLogMethod;
  readonly warn: GitLogMethod;
  readonly error: GitLogMethod;
}

const ignore: GitLogMethod = () => undefined;

export const silentGitLogger: GitLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
