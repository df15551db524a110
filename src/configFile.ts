// parseConfigFile: the TOML file named by CATALOG_CONFIG → the settings it
// holds, by the environment variable each stands for (configKeys.ts). Its
// shape and types are checked against schemas/config.schema.json; values
// (URLs, hosts, secrets) are then checked by loadConfig exactly as if they
// came from the environment. Pure: the caller reads the file.

import type { ErrorObject } from 'ajv';
import { parse as parseToml, TomlError } from 'smol-toml';
import { ConfigError } from './configError.js';
import { CONFIG_KEYS } from './configKeys.js';
import { schemaValidator } from './schemas.js';

export interface ConfigFile {
  /** As given in CATALOG_CONFIG; it prefixes every error about the file. */
  readonly path: string;
  /** Each setting in the file, as text, by environment variable, with the key it came from. */
  readonly values: ReadonlyMap<string, { readonly key: string; readonly value: string }>;
}

export function parseConfigFile(path: string, text: string): ConfigFile {
  let document: unknown;
  try {
    document = parseToml(text);
  } catch (error) {
    const where = error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : '';
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(path, `is not valid TOML${where}: ${reason}`);
  }
  // smol-toml builds null-prototype objects; a plain copy keeps Ajv's checks ordinary.
  const plain: unknown = JSON.parse(JSON.stringify(document));
  const validate = schemaValidator('config');
  if (!validate(plain)) throw schemaError(path, validate.errors?.[0]);
  const values = new Map<string, { key: string; value: string }>();
  for (const { key, env } of CONFIG_KEYS) {
    const [section, name] = key.split('.') as [string, string];
    const value = (plain as Record<string, Record<string, unknown> | undefined>)[section]?.[name];
    if (value !== undefined) values.set(env, { key, value: String(value) });
  }
  return { path, values };
}

function schemaError(path: string, error: ErrorObject | undefined): ConfigError {
  if (error === undefined) return new ConfigError(path, 'does not match schemas/config.schema.json');
  const key = error.instancePath.split('/').filter(Boolean).join('.');
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty: unknown }).additionalProperty);
    const unknown = key === '' ? extra : `${key}.${extra}`;
    const known = CONFIG_KEYS.map((entry) => entry.key).filter((candidate) => candidate.startsWith(key === '' ? '' : `${key}.`));
    return new ConfigError(`${path}: ${unknown}`, `is not a setting; known ones are ${[...new Set(key === '' ? known.map((candidate) => candidate.split('.')[0]) : known)].join(', ')}`);
  }
  const allowed = error.keyword === 'enum' ? `: one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
  return new ConfigError(`${path}: ${key === '' ? '(the file)' : key}`, `${error.message ?? 'is invalid'}${allowed}`);
}
