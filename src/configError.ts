// ConfigError: a configuration value the service cannot start with.

import { redactUrl } from './git/redactUrl.js';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly data: { readonly variable: string; readonly expected: string; readonly value: string | undefined };

  constructor(variable: string, expected: string, value?: string) {
    const shown = value === undefined ? '' : `, got '${redact(value)}'`;
    super(`${variable} ${expected}${shown}`);
    this.name = 'ConfigError';
    this.data = { variable, expected, value: value === undefined ? undefined : redact(value) };
  }

  /** The same complaint about the same value, naming where it was set (a file's key instead of a variable). */
  renamed(variable: string): ConfigError {
    return new ConfigError(variable, this.data.expected, this.data.value);
  }
}

/** Hides URL credentials (`https://user:token@host`) and cuts long values. */
function redact(value: string): string {
  const shown = redactUrl(value);
  return shown.length > 80 ? `${shown.slice(0, 80)}…` : shown;
}
