import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startReconcileLoop } from '../../src/refresh/reconcileLoop.js';
import type { RefreshRequest } from '../../src/refresh/refreshRequest.js';

test('the reconcile loop asks for a full refresh every interval until stopped', (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const requests: RefreshRequest[] = [];
  const stop = startReconcileLoop({ requester: { request: (request) => requests.push(request) }, intervalSeconds: 300 });
  t.mock.timers.tick(299_999);
  assert.equal(requests.length, 0);
  t.mock.timers.tick(1);
  assert.deepEqual(requests, [{ kind: 'full', reason: 'reconcile' }]);
  t.mock.timers.tick(600_000);
  assert.equal(requests.length, 3);
  stop();
  t.mock.timers.tick(900_000);
  assert.equal(requests.length, 3);
});

test('an interval of 0 turns the loop off', (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const requests: RefreshRequest[] = [];
  startReconcileLoop({ requester: { request: (request) => requests.push(request) }, intervalSeconds: 0 });
  t.mock.timers.tick(10_000_000);
  assert.equal(requests.length, 0);
});
