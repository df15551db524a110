import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childEnvironment } from '../../src/childProcess/childEnvironment.js';
import { runInChildProcess } from '../../src/childProcess/runInChildProcess.js';
import { CONFIG_KEYS } from '../../src/configKeys.js';

const CHILD = { beside: new URL('../helpers/environmentChildMain.ts', import.meta.url).href, name: 'environmentChildMain', role: 'environment' };

test('a child process starts without the service\'s configuration or secrets, with what Node and glibc need', async (t) => {
  const set = { WEBHOOK_SECRET: 'a-webhook-secret-of-the-service', GITHUB_TOKEN: 'ghp_notareal', CATALOG_REPO_TOKEN: 'repo-token', MALLOC_ARENA_MAX: '2', LC_ALL: 'C.UTF-8' };
  const before = Object.fromEntries(Object.keys(set).map((name) => [name, process.env[name]]));
  t.after(() => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  Object.assign(process.env, set);

  const names = await runInChildProcess<object, string[]>(CHILD, {});
  for (const secret of ['WEBHOOK_SECRET', 'GITHUB_TOKEN', 'CATALOG_REPO_TOKEN']) assert.ok(!names.includes(secret), `${secret} stays with the service`);
  for (const passed of ['PATH', 'MALLOC_ARENA_MAX', 'LC_ALL']) assert.ok(names.includes(passed), `${passed} is passed`);
});

test('no configuration variable is passed, whatever its value', () => {
  const env = Object.fromEntries(CONFIG_KEYS.map((key) => [key.env, 'set']));
  assert.ok(CONFIG_KEYS.length > 10);
  assert.deepEqual(childEnvironment({ ...env, PATH: '/usr/bin', NODE_OPTIONS: '--max-old-space-size=512' }), { PATH: '/usr/bin', NODE_OPTIONS: '--max-old-space-size=512' });
});
