import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/configError.js';

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('loadConfig accepted an invalid environment');
}

test('an empty environment gives the documented defaults', () => {
  const config = loadConfig({ HOME: '/home/rbee' });
  assert.equal(config.port, 8787);
  assert.equal(config.host, '127.0.0.1');
  assert.deepEqual(config.repository, { kind: 'builtin' });
  assert.equal(config.cacheDir, '/home/rbee/.cache/rbee-worker-catalog');
  assert.equal(config.gitUrl, undefined);
  assert.equal(config.logLevel, 'info');
  assert.ok(Object.isFrozen(config));
});

test('XDG_CACHE_HOME places the cache dir, CATALOG_CACHE_DIR overrides it', () => {
  assert.equal(loadConfig({ XDG_CACHE_HOME: '/xdg' }).cacheDir, '/xdg/rbee-worker-catalog');
  assert.equal(loadConfig({ XDG_CACHE_HOME: '/xdg', CATALOG_CACHE_DIR: '/var/cache/c' }).cacheDir, '/var/cache/c');
});

test('an http(s) CATALOG_REPO is mirrored and advertised without its credentials', () => {
  const config = loadConfig({ CATALOG_REPO: 'https://bot:s3cret@git.example.org/rbee/catalog.git' });
  assert.deepEqual(config.repository, { kind: 'remote', url: 'https://bot:s3cret@git.example.org/rbee/catalog.git' });
  assert.equal(config.gitUrl, 'https://git.example.org/rbee/catalog.git');
});

test('CATALOG_GIT_URL wins over the derived clone URL', () => {
  const config = loadConfig({ CATALOG_REPO: 'http://127.0.0.1:9/c.git', CATALOG_GIT_URL: 'git@github.com:veighnsche/rbee-worker-catalog.git' });
  assert.equal(config.gitUrl, 'git@github.com:veighnsche/rbee-worker-catalog.git');
});

test('any other CATALOG_REPO is a local path, made absolute', () => {
  const config = loadConfig({ CATALOG_REPO: 'some/repo.git' });
  assert.deepEqual(config.repository, { kind: 'local', path: path.resolve('some/repo.git') });
});

test('bad values stop start-up naming the variable', () => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '0' }, 'PORT'],
    [{ PORT: '65536' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ HOST: 'local host' }, 'HOST'],
    [{ HOST: 'host/path' }, 'HOST'],
    [{ CATALOG_REPO: 'ssh://git@example.org/c.git' }, 'CATALOG_REPO'],
    [{ CATALOG_REPO: 'file:///srv/c.git' }, 'CATALOG_REPO'],
    [{ CATALOG_GIT_URL: 'https://example.org/c.git; rm -rf ~' }, 'CATALOG_GIT_URL'],
    [{ CATALOG_GIT_URL: 'not a url' }, 'CATALOG_GIT_URL'],
    [{ CATALOG_GIT_URL: 'ftp://example.org/c.git' }, 'CATALOG_GIT_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CATALOG_CACHE_DIR: 'a\0b' }, 'CATALOG_CACHE_DIR'],
  ];
  for (const [env, variable] of cases) {
    const error = configErrorOf(env);
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.data.variable, variable, `for ${JSON.stringify(env)}`);
    assert.ok(error.message.startsWith(variable), 'the message names the variable first');
  }
});

test('a rejected URL value never echoes its credentials', () => {
  const error = configErrorOf({ CATALOG_REPO: 'ssh://bot:s3cret@example.org/c.git' });
  assert.ok(!error.message.includes('s3cret'));
});

test('blank values count as unset', () => {
  assert.equal(loadConfig({ PORT: '  ', LOG_LEVEL: '' }).port, 8787);
});

test('webhook secrets, GitHub repository and poll interval default to off, none and 300 s', () => {
  const config = loadConfig({});
  assert.deepEqual(config.webhookSecrets, []);
  assert.equal(config.githubRepository, undefined);
  assert.equal(config.pollSeconds, 300);
});

test('WEBHOOK_SECRET comes first, WEBHOOK_SECRET_PREVIOUS second', () => {
  const config = loadConfig({
    WEBHOOK_SECRET: 'new-secret-0123456789',
    WEBHOOK_SECRET_PREVIOUS: 'old-secret-0123456789',
    GITHUB_REPOSITORY: 'veighnsche/rbee-worker-catalog',
    CATALOG_POLL_SECONDS: '0',
  });
  assert.deepEqual(config.webhookSecrets, ['new-secret-0123456789', 'old-secret-0123456789']);
  assert.ok(Object.isFrozen(config.webhookSecrets));
  assert.equal(config.githubRepository, 'veighnsche/rbee-worker-catalog');
  assert.equal(config.pollSeconds, 0);
  assert.deepEqual(loadConfig({ WEBHOOK_SECRET: 'only-one-secret-0123' }).webhookSecrets, ['only-one-secret-0123']);
  assert.equal(loadConfig({ CATALOG_POLL_SECONDS: '86400' }).pollSeconds, 86400);
});

test('bad webhook, repository and poll values stop start-up naming the variable', () => {
  const cases: [Record<string, string>, string][] = [
    [{ WEBHOOK_SECRET: 'short-secret' }, 'WEBHOOK_SECRET'],
    [{ WEBHOOK_SECRET: 'new-secret-0123456789', WEBHOOK_SECRET_PREVIOUS: 'fifteen-chars!!' }, 'WEBHOOK_SECRET_PREVIOUS'],
    [{ WEBHOOK_SECRET_PREVIOUS: 'old-secret-0123456789' }, 'WEBHOOK_SECRET_PREVIOUS'],
    [{ GITHUB_REPOSITORY: 'rbee-worker-catalog' }, 'GITHUB_REPOSITORY'],
    [{ GITHUB_REPOSITORY: 'owner/name/extra' }, 'GITHUB_REPOSITORY'],
    [{ GITHUB_REPOSITORY: 'https://github.com/owner/name' }, 'GITHUB_REPOSITORY'],
    [{ GITHUB_REPOSITORY: 'owner/na me' }, 'GITHUB_REPOSITORY'],
    [{ CATALOG_POLL_SECONDS: '-1' }, 'CATALOG_POLL_SECONDS'],
    [{ CATALOG_POLL_SECONDS: '86401' }, 'CATALOG_POLL_SECONDS'],
    [{ CATALOG_POLL_SECONDS: '1.5' }, 'CATALOG_POLL_SECONDS'],
    [{ CATALOG_POLL_SECONDS: 'often' }, 'CATALOG_POLL_SECONDS'],
  ];
  for (const [env, variable] of cases) {
    const error = configErrorOf(env);
    assert.equal(error.data.variable, variable, `for ${JSON.stringify(env)}`);
    assert.ok(error.message.startsWith(variable), 'the message names the variable first');
  }
});

test('a rejected webhook secret is never echoed', () => {
  const error = configErrorOf({ WEBHOOK_SECRET: 'tooShort123' });
  assert.ok(!error.message.includes('tooShort123'));
  assert.equal(error.data.value, undefined);
});

test('GitHub API URL defaults to api.github.com; token and public base URL default to unset', () => {
  const defaults = loadConfig({ HOME: '/home/rbee' });
  assert.equal(defaults.githubApiUrl, 'https://api.github.com');
  assert.equal(defaults.githubToken, undefined);
  assert.equal(defaults.publicBaseUrl, undefined);
  const set = loadConfig({ GITHUB_TOKEN: 'ghp_example', GITHUB_API_URL: 'https://ghe.example.com/api/v3/', PUBLIC_BASE_URL: 'https://catalog.rbee.dev/' });
  assert.equal(set.githubToken, 'ghp_example');
  assert.equal(set.githubApiUrl, 'https://ghe.example.com/api/v3', 'no trailing slash');
  assert.equal(set.publicBaseUrl, 'https://catalog.rbee.dev');
});

test('bad GitHub API and public base URLs stop start-up naming the variable, without credentials', () => {
  for (const name of ['GITHUB_API_URL', 'PUBLIC_BASE_URL']) {
    for (const raw of ['ftp://example.com', 'not a url', 'https://example.com/?q=1', 'https://user:hunter2@example.com']) {
      const error = configErrorOf({ [name]: raw });
      assert.equal(error.data.variable, name, raw);
      assert.ok(!error.message.includes('hunter2'), 'credentials are not echoed');
    }
  }
});

test('TRUST_PROXY, CORS_ORIGINS and the rate limits', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.trustProxy, false);
  assert.equal(defaults.corsOrigins, '*');
  assert.deepEqual(defaults.rateLimits, { workers: 60, worker: 120, pkgbuild: 30, api: 600 });
  assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
  assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  assert.equal(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy, 'loopback,10.0.0.0/8');
  assert.deepEqual(loadConfig({ CORS_ORIGINS: 'https://rbee.dev, http://localhost:5173' }).corsOrigins, ['https://rbee.dev', 'http://localhost:5173']);
  assert.equal(loadConfig({ CORS_ORIGINS: 'none' }).corsOrigins, 'none');
  assert.equal(loadConfig({ RATE_LIMIT_PKGBUILD: '0' }).rateLimits.pkgbuild, 0);
  for (const [name, value] of [['TRUST_PROXY', 'example.org'], ['TRUST_PROXY', '33'], ['CORS_ORIGINS', 'rbee.dev'], ['CORS_ORIGINS', 'https://rbee.dev/'], ['RATE_LIMIT_API', '1.5'], ['RATE_LIMIT_WORKERS', '-1']] as const) {
    assert.equal(configErrorOf({ [name]: value }).data.variable, name, `${name}=${value}`);
  }
});

test('a private remote\'s token: only with an http(s) CATALOG_REPO without credentials of its own, never echoed', () => {
  const remote = { CATALOG_REPO: 'https://git.example.org/rbee/catalog.git' };
  assert.equal(loadConfig(remote).remoteCredentials, undefined);
  assert.deepEqual(loadConfig({ ...remote, CATALOG_REPO_TOKEN: 'ghp_abc' }).remoteCredentials, { username: 'x-access-token', password: 'ghp_abc' });
  assert.deepEqual(loadConfig({ ...remote, CATALOG_REPO_TOKEN: 'glpat_x', CATALOG_REPO_USERNAME: 'oauth2' }).remoteCredentials, { username: 'oauth2', password: 'glpat_x' });
  const cases: Array<[Record<string, string>, string]> = [
    [{ CATALOG_REPO_TOKEN: 'ghp_secret_value' }, 'CATALOG_REPO_TOKEN'],
    [{ CATALOG_REPO: '/srv/catalog.git', CATALOG_REPO_TOKEN: 'ghp_secret_value' }, 'CATALOG_REPO_TOKEN'],
    [{ CATALOG_REPO: 'https://bot:pw@git.example.org/c.git', CATALOG_REPO_TOKEN: 'ghp_secret_value' }, 'CATALOG_REPO_TOKEN'],
    [{ ...remote, CATALOG_REPO_TOKEN: 'ghp secret_value' }, 'CATALOG_REPO_TOKEN'],
    [{ ...remote, CATALOG_REPO_USERNAME: 'oauth2' }, 'CATALOG_REPO_USERNAME'],
  ];
  for (const [env, variable] of cases) {
    const error = configErrorOf(env);
    assert.equal(error.data.variable, variable);
    assert.ok(!error.message.includes('secret_value'), 'the token is never echoed');
  }
  assert.equal(loadConfig({ CATALOG_FETCH_TIMEOUT_SECONDS: '5' }).fetchTimeoutMs, 5000);
  assert.equal(loadConfig({}).fetchTimeoutMs, 30_000);
  assert.equal(configErrorOf({ CATALOG_FETCH_TIMEOUT_SECONDS: '0' }).data.variable, 'CATALOG_FETCH_TIMEOUT_SECONDS');
});

test('CATALOG_DEFAULT_BRANCH and the branch include/exclude patterns', () => {
  assert.deepEqual(loadConfig({}).branches, { defaultBranch: undefined, include: [], exclude: [] });
  const config = loadConfig({ CATALOG_DEFAULT_BRANCH: 'main', CATALOG_BRANCH_INCLUDE: 'llm-*, sd-*', CATALOG_BRANCH_EXCLUDE: '*-wip' });
  assert.deepEqual(config.branches, { defaultBranch: 'main', include: ['llm-*', 'sd-*'], exclude: ['*-wip'] });
  for (const [name, value] of [['CATALOG_DEFAULT_BRANCH', '../etc'], ['CATALOG_DEFAULT_BRANCH', 'a b'], ['CATALOG_BRANCH_INCLUDE', 'llm-[a-z]*'], ['CATALOG_BRANCH_EXCLUDE', 'x;y']] as const) {
    assert.equal(configErrorOf({ [name]: value }).data.variable, name, `${name}=${value}`);
  }
});
