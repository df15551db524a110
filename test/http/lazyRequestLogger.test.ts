import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { CatalogStore } from '../../src/catalog/catalogStore.js';
import { lazyChildLogger } from '../../src/http/lazyRequestLogger.js';

function memoryLogger(level: string): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter((text) => text !== '')) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level, redact: { paths: ['secret', '*.secret'], censor: '[redacted]' } }, sink), lines };
}

test('a lazy child writes the same lines as the eager child it stands for, redaction included', () => {
  const eager = memoryLogger('info');
  const lazy = memoryLogger('info');
  const bindings = { reqId: 'req-1' };
  for (const [{ logger }, child] of [[eager, eager.logger.child(bindings)], [lazy, lazyChildLogger(lazy.logger, bindings, {})]] as const) {
    void logger;
    child.info({ route: '/x', secret: 'hunter2' }, 'request');
    child.debug('not at info');
    child.child({ deliveryId: 'd-1' }).warn('nested');
  }
  const strip = (line: Record<string, unknown>): Record<string, unknown> => ({ ...line, time: 0, pid: 0, hostname: '' });
  assert.deepEqual(lazy.lines.map(strip), eager.lines.map(strip));
  assert.equal(lazy.lines.length, 2);
  assert.equal(lazy.lines[0]?.secret, '[redacted]');
  assert.equal(lazy.lines[1]?.deliveryId, 'd-1');
  assert.equal(lazy.lines[1]?.reqId, 'req-1');
});

test('a child is built only when a request logs, at the level of the logger it came from', () => {
  const { logger, lines } = memoryLogger('warn');
  let built = 0;
  const counting = Object.create(logger, { child: { value: (...args: Parameters<pino.Logger['child']>) => { built += 1; return logger.child(...args); } } }) as pino.Logger;
  const child = lazyChildLogger(counting, { reqId: 'req-2' }, {});
  child.info('below the level');
  assert.equal(built, 0);
  assert.equal(child.level, 'warn');
  child.error('written');
  child.error('written again');
  assert.equal(built, 1);
  assert.deepEqual(lines.map((line) => [line.msg, line.reqId]), [['written', 'req-2'], ['written again', 'req-2']]);
  const withLevel = lazyChildLogger(counting, { reqId: 'req-3' }, { level: 'debug' });
  assert.equal(built, 2, 'a route level is applied at once');
  assert.equal(withLevel.level, 'debug');
});

test('through the app, each request line still carries its reqId', async (t) => {
  const { logger, lines } = memoryLogger('info');
  const app = await buildApp({ store: new CatalogStore(), logger, serviceVersion: '1.0.0', cacheMaxAgeSeconds: 60 });
  t.after(() => app.close());
  await app.inject('/health');
  await app.inject('/health');
  const requests = lines.filter((line) => line.msg === 'request');
  assert.equal(requests.length, 2);
  assert.ok(requests.every((line) => typeof line.reqId === 'string' && line.reqId !== ''));
  assert.notEqual(requests[0]?.reqId, requests[1]?.reqId);
});
