// The flags by which the catalog scripts (generate-catalog, export-static)
// name the catalog they read, turned into the service's own configuration,
// so a script opens the repository exactly as `npm start` would.

import { loadConfig, type Config, type Environment } from '../../src/config.js';

export const CATALOG_SOURCE_FLAGS = {
  repo: { type: 'string' },
  'git-url': { type: 'string' },
  'cache-dir': { type: 'string' },
} as const;

export interface CatalogSourceFlags {
  readonly repo?: string | undefined;
  readonly 'git-url'?: string | undefined;
  readonly 'cache-dir'?: string | undefined;
}

/**
 * The flags, else the environment's clone URL and cache location; `extra`
 * adds settings of the script's own. Throws ConfigError as the service does.
 */
export function configFromSourceFlags(flags: CatalogSourceFlags, env: Environment, extra: Environment = {}): Config {
  return loadConfig({
    CATALOG_REPO: flags.repo,
    CATALOG_GIT_URL: flags['git-url'] ?? env.CATALOG_GIT_URL,
    CATALOG_CACHE_DIR: flags['cache-dir'] ?? env.CATALOG_CACHE_DIR,
    XDG_CACHE_HOME: env.XDG_CACHE_HOME,
    HOME: env.HOME,
    ...extra,
  });
}
