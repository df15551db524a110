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
