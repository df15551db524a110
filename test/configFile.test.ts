import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/configError.js';
import { parseConfigFile } from '../src/configFile.js';
import { CONFIG_KEYS } from '../src/configKeys.js';
import { runServer, startServer } from './helpers/serverProcess.js';

const EXAMPLE = path.resolve('catalog.example.toml');
const SCHEMA = JSON.parse(readFileSync(path.resolve('schemas/config.schema.json'), 'utf8')) as { properties: Record<string, { properties: Record<string, unknown> }> };

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('the configuration was accepted');
}

const load = (toml: string, env: Record<string, string> = {}) => loadConfig({ HOME: '/home/rbee', ...env }, parseConfigFile('catalog.toml', toml));

test('the schema, the key table and the example file name the same settings', () => {
  const schemaKeys = Object.entries(SCHEMA.properties).flatMap(([section, { properties }]) => Object.keys(properties).map((name) => `${section}.${name}`));
  assert.deepEqual(schemaKeys.sort(), CONFIG_KEYS.map((entry) => entry.key).sort());
  const example = readFileSync(EXAMPLE, 'utf8');
  for (const { key, env } of CONFIG_KEYS) {
    const [section, name] = key.split('.') as [string, string];
    const sectionText = example.split(/^\[/m).find((part) => part.startsWith(`${section}]`)) ?? '';
    assert.match(sectionText, new RegExp(`^# ${name} = `, 'm'), `${key} is documented in catalog.example.toml`);
    assert.ok(sectionText.includes(env), `${key} names its variable ${env}`);
  }
});

test('the example file, every example uncommented, is a valid configuration', () => {
  const uncommented = readFileSync(EXAMPLE, 'utf8').replace(/^# (\w+ = )/gm, '$1');
  const config = load(uncommented);
  assert.equal(config.port, 8787);
  assert.equal(config.host, '127.0.0.1');
  assert.deepEqual(config.repository, { kind: 'remote', url: 'https://github.com/veighnsche/rbee-worker-catalog.git' });
  assert.equal(config.cacheDir, '/var/cache/rbee-worker-catalog');
  assert.equal(config.githubRepository, 'veighnsche/rbee-worker-catalog');
  assert.equal(config.webhookSecrets.length, 2);
  assert.equal(config.cacheMaxAgeSeconds, 3600);
  assert.equal(config.trustProxy, '10.0.0.0/8,127.0.0.1');
  assert.equal(config.corsOrigins, '*');
  assert.deepEqual(config.rateLimits, { workers: 60, worker: 120, pkgbuild: 30, api: 600 });
  assert.deepEqual(config.branches, { defaultBranch: 'master', include: ['llm-worker-*', 'sd-worker-*'], exclude: ['*-wip', 'renovate/*'] }, 'TOML lists become the pattern lists');
  assert.equal(config.fetchTimeoutMs, 30_000);
  assert.deepEqual(config.remoteCredentials, { username: 'x-access-token', password: 'github_pat_…' });
  assert.deepEqual(load(readFileSync(EXAMPLE, 'utf8')), loadConfig({ HOME: '/home/rbee' }), 'as shipped, every line is a comment: the defaults');
});

test('file settings apply where the environment is silent, and the environment wins', () => {
  const toml = '[server]\nport = 9100\nlog_level = "debug"\ncache_max_age_seconds = 60\n[repository]\npoll_seconds = 0\n';
  const fromFile = load(toml);
  assert.deepEqual([fromFile.port, fromFile.logLevel, fromFile.cacheMaxAgeSeconds, fromFile.pollSeconds], [9100, 'debug', 60, 0]);
  const overridden = load(toml, { PORT: '9200', LOG_LEVEL: 'warn' });
  assert.deepEqual([overridden.port, overridden.logLevel, overridden.cacheMaxAgeSeconds], [9200, 'warn', 60]);
  assert.equal(load('', { PORT: '9300' }).port, 9300, 'an empty file changes nothing');
});

test('errors name the file and the key, and what was expected', () => {
  const cases: Array<[string, RegExp]> = [
    ['[server]\nprot = 1\n', /^catalog\.toml: server\.prot is not a setting; known ones are server\.host, server\.port/],
    ['[servr]\nport = 1\n', /^catalog\.toml: servr is not a setting; known ones are server, http, repository, webhooks, github/],
    ['[server]\nport = "80"\n', /^catalog\.toml: server\.port must be integer/],
    ['[server]\nport = 70000\n', /^catalog\.toml: server\.port must be <= 65535/],
    ['[server]\nlog_level = "loud"\n', /^catalog\.toml: server\.log_level must be equal to one of the allowed values: one of fatal, error/],
    ['[server]\nhost = "bad host!"\n', /^catalog\.toml: server\.host must be a hostname or an IP address/],
    ['[repository]\nsource = "ftp://example.org/c.git"\n', /^catalog\.toml: repository\.source must use http:\/\/ or https:\/\//],
    ['[webhooks]\nsecret = "short"\n', /^catalog\.toml: webhooks\.secret must NOT have fewer than 16 characters/],
    ['[webhooks]\nprevious_secret = "a-long-enough-old-secret"\n', /^catalog\.toml: webhooks\.previous_secret is for rotation and needs WEBHOOK_SECRET/],
    ['[server\nport = 1\n', /^catalog\.toml is not valid TOML at line 1, column \d+/],
    ['port = 1\n', /^catalog\.toml: port is not a setting/],
    ['[server]\ntrust_proxy = "anyone"\n', /^catalog\.toml: server\.trust_proxy must be false, true, a number of proxy hops/],
    ['[http]\ncors_origins = "https://rbee.dev/path"\n', /^catalog\.toml: http\.cors_origins must be "\*", "none" or comma-separated origins/],
    ['[http]\nrate_limit_api = -1\n', /^catalog\.toml: http\.rate_limit_api must be >= 0/],
  ];
  for (const [toml, expected] of cases) {
    const error = configError(() => load(toml));
    assert.match(error.message, expected, JSON.stringify(toml));
    assert.equal(error.code, 'CONFIG_INVALID');
  }
  const secret = configError(() => load('[webhooks]\nsecret = "short-secret"\n'));
  assert.ok(!secret.message.includes('short-secret'), 'a secret is never echoed');
  const fromEnv = configError(() => load('[server]\nport = 9100\n', { PORT: 'eighty' }));
  assert.match(fromEnv.message, /^PORT must be an integer/, 'a bad value from the environment names the variable');
});

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rbee-config-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the service reads CATALOG_CONFIG at start, and a bad file stops it with code 2', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'catalog.toml');
  writeFileSync(file, `[server]\ncache_max_age_seconds = 120\n[repository]\ncache_dir = ${JSON.stringify(path.join(dir, 'cache'))}\n`);
  const server = await startServer(t, { CATALOG_CONFIG: file });
  assert.equal((await fetch(`${server.baseUrl}/workers`)).headers.get('cache-control'), 'public, max-age=120');
  assert.equal(await server.stop(), 0);

  writeFileSync(file, '[server]\nport = "eighty"\n');
  const broken = runServer({ CATALOG_CONFIG: file });
  const [code] = await once(broken.child, 'exit');
  assert.equal(code, 2);
  assert.match(broken.output(), /configuration error: .*catalog\.toml: server\.port must be integer/);
  const missing = runServer({ CATALOG_CONFIG: path.join(dir, 'nope.toml') });
  assert.equal((await once(missing.child, 'exit'))[0], 2);
  assert.match(missing.output(), /CATALOG_CONFIG names a file that cannot be read \(ENOENT\)/);
});
