import type { GitLogger } from '../../src/git/gitLogger.js';

/** One line a recording logger was given. */
export interface LogLine {
  readonly level: string;
  readonly details: Record<string, unknown>;
  readonly message: string;
}

/** A logger that keeps every line, in order, for a test to look at. */
export function recordingLogger(): GitLogger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (details: Record<string, unknown>, message: string): void => {
    lines.push({ level, details, message });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
