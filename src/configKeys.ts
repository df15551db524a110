// CONFIG_KEYS: every setting's key in a configuration file and the
// environment variable that sets it too. One table, so a setting cannot
// exist in one place and not the other (a test checks the schema and the
// example file against it); the environment wins over the file.

export interface ConfigKey {
  /** `section.name` in the TOML file. */
  readonly key: string;
  readonly env: string;
}

export const CONFIG_KEYS: readonly ConfigKey[] = [
  { key: 'server.host', env: 'HOST' },
  { key: 'server.port', env: 'PORT' },
  { key: 'server.public_base_url', env: 'PUBLIC_BASE_URL' },
  { key: 'server.log_level', env: 'LOG_LEVEL' },
  { key: 'server.cache_max_age_seconds', env: 'CATALOG_CACHE_MAX_AGE_SECONDS' },
  { key: 'server.trust_proxy', env: 'TRUST_PROXY' },
  { key: 'http.cors_origins', env: 'CORS_ORIGINS' },
  { key: 'http.rate_limit_workers', env: 'RATE_LIMIT_WORKERS' },
  { key: 'http.rate_limit_worker', env: 'RATE_LIMIT_WORKER' },
  { key: 'http.rate_limit_pkgbuild', env: 'RATE_LIMIT_PKGBUILD' },
  { key: 'http.rate_limit_api', env: 'RATE_LIMIT_API' },
  { key: 'repository.source', env: 'CATALOG_REPO' },
  { key: 'repository.git_url', env: 'CATALOG_GIT_URL' },
  { key: 'repository.default_branch', env: 'CATALOG_DEFAULT_BRANCH' },
  { key: 'repository.include', env: 'CATALOG_BRANCH_INCLUDE' },
  { key: 'repository.exclude', env: 'CATALOG_BRANCH_EXCLUDE' },
  { key: 'repository.cache_dir', env: 'CATALOG_CACHE_DIR' },
  { key: 'repository.poll_seconds', env: 'CATALOG_POLL_SECONDS' },
  { key: 'repository.fetch_timeout_seconds', env: 'CATALOG_FETCH_TIMEOUT_SECONDS' },
  { key: 'repository.token', env: 'CATALOG_REPO_TOKEN' },
  { key: 'repository.username', env: 'CATALOG_REPO_USERNAME' },
  { key: 'webhooks.secret', env: 'WEBHOOK_SECRET' },
  { key: 'webhooks.previous_secret', env: 'WEBHOOK_SECRET_PREVIOUS' },
  { key: 'github.token', env: 'GITHUB_TOKEN' },
  { key: 'github.api_url', env: 'GITHUB_API_URL' },
  { key: 'github.repository', env: 'GITHUB_REPOSITORY' },
];
