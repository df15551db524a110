// loadConfig: turns an environment (a plain object, so tests pass their own)
// and, optionally, a configuration file's settings into the service's
// validated, frozen configuration. The environment wins over the file. Every
// bad value stops start-up with a ConfigError naming the variable — or the
// file and key it came from — and what was expected.

import { homedir } from 'node:os';
import path from 'node:path';
import { ConfigError } from './configError.js';
import type { ConfigFile } from './configFile.js';
import { BRANCH_PATTERN, type BranchSelection } from './git/branchSelection.js';
import { isValidBranchName } from './git/isValidBranchName.js';
import { redactUrl } from './git/redactUrl.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Where the catalog's git repository comes from. */
export type RepositorySource =
  | { readonly kind: 'builtin' }
  | { readonly kind: 'remote'; readonly url: string }
  | { readonly kind: 'local'; readonly path: string };

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly repository: RepositorySource;
  readonly cacheDir: string;
  /** Public clone URL advertised to clients; undefined → derived from the repository. */
  readonly gitUrl: string | undefined;
  readonly logLevel: LogLevel;
  /** `Cache-Control: max-age` of catalog responses, as the previous service sent. */
  readonly cacheMaxAgeSeconds: number;
  /** GitHub webhook secrets, current first then the previous one (rotation); empty → webhooks off. */
  readonly webhookSecrets: readonly string[];
  /** `owner/name`: webhook deliveries about any other repository are ignored. */
  readonly githubRepository: string | undefined;
  /** Seconds between reconcile passes against the remote; 0 = off. */
  readonly pollSeconds: number;
  /** Which branches are the catalog's: the default branch and worker branch globs. */
  readonly branches: BranchSelection;
  /** Every HTTP request to the remote ends within this. */
  readonly fetchTimeoutMs: number;
  /** Credentials for a private remote; never logged. */
  readonly remoteCredentials: { readonly username: string; readonly password: string } | undefined;
  /** Commit statuses go to GitHub when a token and GITHUB_REPOSITORY are set. Never logged. */
  readonly githubToken: string | undefined;
  /** GitHub's REST API; another for GitHub Enterprise. */
  readonly githubApiUrl: string;
  /** Where this service is reachable from outside, without a trailing slash; commit statuses link to it. */
  readonly publicBaseUrl: string | undefined;
  /** Whose X-Forwarded-For to believe, as Fastify's trustProxy takes it: false, true, a hop count or addresses. */
  readonly trustProxy: boolean | number | string;
  /** Origins browsers may read the catalog from: any, none, or these. */
  readonly corsOrigins: '*' | 'none' | readonly string[];
  /** Requests per minute per client address; 0 = no limit. */
  readonly rateLimits: RateLimits;
}

export interface RateLimits {
  /** GET /workers, GET /workers/:id and GET /workers/:id/PKGBUILD: the previous service's limits. */
  readonly workers: number;
  readonly worker: number;
  readonly pkgbuild: number;
  /** Each other catalog route. */
  readonly api: number;
}

export type Environment = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
// A hostname or an IPv4/IPv6 literal; nothing that could smuggle a path or a port.
const HOST_PATTERN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|[0-9A-Fa-f:.]+)$/;
// GitHub's owner and repository name characters.
const GITHUB_REPOSITORY_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
// Shorter secrets can be brute-forced from one signed delivery.
const MIN_SECRET_LENGTH = 16;
// scp-like git remotes (`git@github.com:owner/repo.git`) are not URLs but are what people paste.
const SCP_LIKE_GIT_URL = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._\/~-]+$/;

export function loadConfig(env: Environment, file?: ConfigFile): Config {
  if (file === undefined) return readConfig(env);
  const merged: Record<string, string | undefined> = { ...env };
  const keyOf = new Map<string, string>();
  for (const [variable, { key, value }] of file.values) {
    if (present(env, variable) !== undefined) continue;
    merged[variable] = value;
    keyOf.set(variable, key);
  }
  try {
    return readConfig(merged);
  } catch (error) {
    const key = error instanceof ConfigError ? keyOf.get(error.data.variable) : undefined;
    if (error instanceof ConfigError && key !== undefined) throw error.renamed(`${file.path}: ${key}`);
    throw error;
  }
}

function readConfig(env: Environment): Config {
  const repository = readRepository(env);
  return Object.freeze({
    host: readHost(env),
    port: readInteger(env, 'PORT', { fallback: 8787, min: 1, max: 65535, expected: 'must be an integer from 1 to 65535' }),
    repository,
    cacheDir: readCacheDir(env),
    gitUrl: readGitUrl(env) ?? (repository.kind === 'remote' ? redactUrl(repository.url) : undefined),
    logLevel: readLogLevel(env),
    cacheMaxAgeSeconds: readInteger(env, 'CATALOG_CACHE_MAX_AGE_SECONDS', { fallback: 3600, min: 0, max: 31_536_000, expected: 'must be an integer from 0 to 31536000 (a year)' }),
    webhookSecrets: Object.freeze(readWebhookSecrets(env)),
    githubRepository: readGithubRepository(env),
    pollSeconds: readInteger(env, 'CATALOG_POLL_SECONDS', { fallback: 300, min: 0, max: 86400, expected: 'must be an integer from 0 (off) to 86400' }),
    branches: readBranchSelection(env),
    fetchTimeoutMs: readInteger(env, 'CATALOG_FETCH_TIMEOUT_SECONDS', { fallback: 30, min: 1, max: 3600, expected: 'must be an integer from 1 to 3600' }) * 1000,
    remoteCredentials: readRemoteCredentials(env, repository),
    githubToken: present(env, 'GITHUB_TOKEN'),
    githubApiUrl: readBaseUrl(env, 'GITHUB_API_URL') ?? 'https://api.github.com',
    publicBaseUrl: readBaseUrl(env, 'PUBLIC_BASE_URL'),
    trustProxy: readTrustProxy(env),
    corsOrigins: readCorsOrigins(env),
    rateLimits: Object.freeze({
      workers: readInteger(env, 'RATE_LIMIT_WORKERS', { fallback: 60, ...PER_MINUTE }),
      worker: readInteger(env, 'RATE_LIMIT_WORKER', { fallback: 120, ...PER_MINUTE }),
      pkgbuild: readInteger(env, 'RATE_LIMIT_PKGBUILD', { fallback: 30, ...PER_MINUTE }),
      api: readInteger(env, 'RATE_LIMIT_API', { fallback: 600, ...PER_MINUTE }),
    }),
  });
}

function readBranchSelection(env: Environment): BranchSelection {
  const defaultBranch = present(env, 'CATALOG_DEFAULT_BRANCH');
  if (defaultBranch !== undefined && !isValidBranchName(defaultBranch)) throw new ConfigError('CATALOG_DEFAULT_BRANCH', 'must be a branch name', defaultBranch);
  const patterns = (name: string): string[] => {
    const raw = present(env, name);
    const list = raw === undefined ? [] : raw.split(',').map((part) => part.trim()).filter((part) => part !== '');
    for (const pattern of list) {
      if (!BRANCH_PATTERN.test(pattern)) throw new ConfigError(name, 'must be comma-separated branch name patterns (letters, digits, . + _ / - and the wildcards * and ?)', pattern);
    }
    return list;
  };
  return Object.freeze({ defaultBranch, include: Object.freeze(patterns('CATALOG_BRANCH_INCLUDE')), exclude: Object.freeze(patterns('CATALOG_BRANCH_EXCLUDE')) });
}

function readRemoteCredentials(env: Environment, repository: RepositorySource): { username: string; password: string } | undefined {
  const token = present(env, 'CATALOG_REPO_TOKEN');
  const username = present(env, 'CATALOG_REPO_USERNAME');
  if (token === undefined) {
    if (username !== undefined) throw new ConfigError('CATALOG_REPO_USERNAME', 'goes with CATALOG_REPO_TOKEN, which is unset');
    return undefined;
  }
  // The token is never echoed in an error: it is a secret.
  if (repository.kind !== 'remote') throw new ConfigError('CATALOG_REPO_TOKEN', 'is for an http(s):// CATALOG_REPO; a local repository needs no credentials');
  const url = new URL(repository.url);
  if (url.username !== '' || url.password !== '') throw new ConfigError('CATALOG_REPO_TOKEN', 'is set, and CATALOG_REPO carries credentials too: keep them in one place (the token, preferably)');
  if (/[\s:]/.test(token)) throw new ConfigError('CATALOG_REPO_TOKEN', 'must be one token, without spaces or colons');
  if (username !== undefined && /[\s:]/.test(username)) throw new ConfigError('CATALOG_REPO_USERNAME', 'must not contain spaces or colons', username);
  return Object.freeze({ username: username ?? 'x-access-token', password: token });
}

/** A whole number of at most as many digits as `max` has, from `min` to `max`; `fallback` when unset. */
function readInteger(env: Environment, name: string, range: { fallback: number; min: number; max: number; expected: string }): number {
  const raw = present(env, name);
  if (raw === undefined) return range.fallback;
  const value = raw.length <= String(range.max).length && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= range.min && value <= range.max)) throw new ConfigError(name, range.expected, raw);
  return value;
}

const PER_MINUTE = { min: 0, max: 1_000_000, expected: 'must be requests per minute, an integer from 0 (no limit) to 1000000' } as const;

function readTrustProxy(env: Environment): boolean | number | string {
  const raw = present(env, 'TRUST_PROXY');
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) {
    if (Number(raw) <= 32) return Number(raw);
    throw new ConfigError('TRUST_PROXY', 'as a number of proxy hops must be from 0 to 32', raw);
  }
  // Addresses and CIDR ranges, as proxy-addr reads them: digits, hex, dots, colons and slashes only.
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.every((part) => /^[0-9A-Fa-f:.]+(?:\/\d{1,3})?$/.test(part) || ['loopback', 'linklocal', 'uniquelocal'].includes(part))) return parts.join(',');
  throw new ConfigError('TRUST_PROXY', 'must be false, true, a number of proxy hops (0–32), or comma-separated addresses or CIDR ranges (loopback, linklocal and uniquelocal too)', raw);
}

function readCorsOrigins(env: Environment): '*' | 'none' | readonly string[] {
  const raw = present(env, 'CORS_ORIGINS');
  if (raw === undefined || raw === '*') return '*';
  if (raw === 'none') return 'none';
  const origins = raw.split(',').map((part) => part.trim()).filter((part) => part !== '');
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    // An origin is scheme, host and port: exactly what URL.origin gives back.
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin) {
      throw new ConfigError('CORS_ORIGINS', 'must be "*", "none" or comma-separated origins such as https://rbee.dev (scheme, host and port; no path)', origin);
    }
  }
  return Object.freeze(origins);
}

function present(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  if (value?.includes('\0')) throw new ConfigError(name, 'must not contain NUL bytes');
  return value === '' ? undefined : value;
}

function readHost(env: Environment): string {
  const raw = present(env, 'HOST');
  if (raw === undefined) return '127.0.0.1';
  if (raw.length > 253 || !HOST_PATTERN.test(raw)) {
    throw new ConfigError('HOST', 'must be a hostname or an IP address such as 127.0.0.1 or 0.0.0.0', raw);
  }
  return raw;
}

function readRepository(env: Environment): RepositorySource {
  const raw = present(env, 'CATALOG_REPO');
  if (raw === undefined) return { kind: 'builtin' };
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(raw)) {
    return { kind: 'remote', url: readHttpUrl('CATALOG_REPO', raw) };
  }
  return { kind: 'local', path: path.resolve(raw) };
}

function readHttpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be an http(s):// URL or a local path of a git repository', raw);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `must use http:// or https:// (isomorphic-git speaks no other transport), got ${url.protocol}//`);
  }
  return url.href;
}

function readCacheDir(env: Environment): string {
  const raw = present(env, 'CATALOG_CACHE_DIR');
  if (raw !== undefined) return path.resolve(raw);
  const xdgCache = present(env, 'XDG_CACHE_HOME');
  return path.join(xdgCache ?? path.join(env.HOME ?? homedir(), '.cache'), 'rbee-worker-catalog');
}

function readGitUrl(env: Environment): string | undefined {
  const raw = present(env, 'CATALOG_GIT_URL');
  if (raw === undefined) return undefined;
  // Clients paste this into a shell as part of `clone_command`: no whitespace or shell syntax.
  if (SCP_LIKE_GIT_URL.test(raw)) return raw;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  const allowed = ['http:', 'https:', 'ssh:', 'git:'];
  if (url === undefined || !allowed.includes(url.protocol) || /[\s'"`$\\;&|<>]/.test(raw)) {
    throw new ConfigError(
      'CATALOG_GIT_URL',
      'must be a clone URL (https://, http://, ssh://, git:// or user@host:path) without spaces or shell characters',
      raw,
    );
  }
  return raw;
}

function readLogLevel(env: Environment): LogLevel {
  const raw = present(env, 'LOG_LEVEL');
  if (raw === undefined) return 'info';
  const level = LOG_LEVELS.find((candidate) => candidate === raw.toLowerCase());
  if (level === undefined) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`, raw);
  return level;
}

function readWebhookSecrets(env: Environment): string[] {
  const secrets: string[] = [];
  for (const name of ['WEBHOOK_SECRET', 'WEBHOOK_SECRET_PREVIOUS']) {
    const secret = present(env, name);
    if (secret === undefined) continue;
    // The value is never echoed: it is a secret.
    if (secret.length < MIN_SECRET_LENGTH) throw new ConfigError(name, `must be at least ${MIN_SECRET_LENGTH} characters long`);
    secrets.push(secret);
  }
  if (secrets.length > 0 && present(env, 'WEBHOOK_SECRET') === undefined) {
    throw new ConfigError('WEBHOOK_SECRET_PREVIOUS', 'is for rotation and needs WEBHOOK_SECRET (the new secret) set too');
  }
  return secrets;
}

/** An http(s) base URL without credentials, query or fragment, returned without a trailing slash. */
function readBaseUrl(env: Environment, name: string): string | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new ConfigError(name, 'must be an http(s):// base URL without credentials, query or fragment', redactUrl(raw));
  }
  return raw.replace(/\/+$/, '');
}

function readGithubRepository(env: Environment): string | undefined {
  const raw = present(env, 'GITHUB_REPOSITORY');
  if (raw === undefined) return undefined;
  if (raw.length > 201 || !GITHUB_REPOSITORY_PATTERN.test(raw)) {
    throw new ConfigError('GITHUB_REPOSITORY', 'must be owner/name, e.g. veighnsche/rbee-worker-catalog', raw);
  }
  return raw;
}

