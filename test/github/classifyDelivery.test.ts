// classifyDelivery: which deliveries become which refresh requests, and that
// hostile payload shapes are ignored rather than trusted or thrown on.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWorkerId } from '../../src/catalog/workerId.js';
import { classifyDelivery, type ClassifyOptions } from '../../src/github/classifyDelivery.js';

const REPO = { full_name: 'veighnsche/rbee-worker-catalog', default_branch: 'master' };
const OPTIONS: ClassifyOptions = { repository: 'veighnsche/rbee-worker-catalog', isWorkerBranchName: isWorkerId };

const push = (fields: Record<string, unknown>) => ({ ref: 'refs/heads/llm-worker-rbee-cpu', deleted: false, repository: REPO, ...fields });

test('pushes to worker branches are branch requests; deleted pushes are delete requests', () => {
  assert.deepEqual(classifyDelivery('push', push({}), OPTIONS), { action: { kind: 'branch', branch: 'llm-worker-rbee-cpu' } });
  assert.deepEqual(classifyDelivery('push', push({ created: true, forced: true }), OPTIONS), { action: { kind: 'branch', branch: 'llm-worker-rbee-cpu' } });
  assert.deepEqual(classifyDelivery('push', push({ deleted: true }), OPTIONS), { action: { kind: 'delete', branch: 'llm-worker-rbee-cpu' } });
  // Only the boolean true deletes: a hostile "true" string is an ordinary push.
  assert.deepEqual(classifyDelivery('push', push({ deleted: 'true' }), OPTIONS), { action: { kind: 'branch', branch: 'llm-worker-rbee-cpu' } });
});

test('a push or delete of the default branch asks for a full refresh', () => {
  const full = { action: { kind: 'full', reason: 'default branch push' } };
  assert.deepEqual(classifyDelivery('push', push({ ref: 'refs/heads/master' }), OPTIONS), full);
  assert.deepEqual(classifyDelivery('push', push({ ref: 'refs/heads/Main', repository: { ...REPO, default_branch: 'Main' } }), OPTIONS), full);
  assert.deepEqual(classifyDelivery('push', push({ ref: 'refs/heads/master', deleted: true }), OPTIONS), full);
  assert.deepEqual(classifyDelivery('delete', { ref: 'master', ref_type: 'branch', repository: REPO }, OPTIONS), full);
});

test('branch delete events are delete requests; the ref is the bare name', () => {
  const payload = { ref: 'sd-worker-rbee-metal', ref_type: 'branch', repository: REPO };
  assert.deepEqual(classifyDelivery('delete', payload, OPTIONS), { action: { kind: 'delete', branch: 'sd-worker-rbee-metal' } });
  assert.ok('ignore' in classifyDelivery('delete', { ...payload, ref: 'refs/heads/sd-worker-rbee-metal' }, OPTIONS));
});

test('tags, foreign refs, other events and invalid names are ignored with a reason', () => {
  const cases: [string, unknown, RegExp][] = [
    ['push', push({ ref: 'refs/tags/v1' }), /tag/],
    ['delete', { ref: 'v1', ref_type: 'tag', repository: REPO }, /tag/],
    ['create', { ref: 'new-worker', ref_type: 'branch', repository: REPO }, /create/],
    ['issues', { action: 'opened', repository: REPO }, /issues/],
    ['push', push({ ref: 'refs/pull/3/head' }), /refs\/heads/],
    ['push', push({ ref: 'refs/heads/UPPER' }), /worker id/],
    ['push', push({ ref: 'refs/heads/a/b' }), /worker id/],
    ['push', push({ ref: 'refs/heads/' }), /worker id/],
    ['push', push({ ref: `refs/heads/${'a'.repeat(101)}` }), /worker id/],
    ['push', push({ ref: 'refs/heads/..' }), /worker id/],
  ];
  for (const [event, payload, reason] of cases) {
    const outcome = classifyDelivery(event, payload, OPTIONS);
    assert.ok('ignore' in outcome, `${event} ${JSON.stringify(payload)} gave ${JSON.stringify(outcome)}`);
    assert.match(outcome.ignore, reason);
  }
});

test('another repository is ignored; the comparison ignores case; no configured repository accepts any', () => {
  const other = push({ repository: { ...REPO, full_name: 'mallory/rbee-worker-catalog' } });
  assert.match((classifyDelivery('push', other, OPTIONS) as { ignore: string }).ignore, /repository/);
  const upper = push({ repository: { ...REPO, full_name: 'VEIGHNSCHE/Rbee-Worker-Catalog' } });
  assert.ok('action' in classifyDelivery('push', upper, OPTIONS));
  assert.ok('action' in classifyDelivery('push', other, { isWorkerBranchName: isWorkerId }));
});

test('hostile payload shapes are ignored, never thrown on', () => {
  const hostile: unknown[] = [
    null,
    [],
    'push',
    42,
    {},
    { ref: 42, repository: REPO },
    { ref: ['refs/heads/x'], repository: REPO },
    push({ repository: null }),
    push({ repository: 'veighnsche/rbee-worker-catalog' }),
    push({ repository: { full_name: 7, default_branch: 'master' } }),
    push({ repository: { full_name: REPO.full_name } }),
    push({ repository: { full_name: REPO.full_name, default_branch: { toString: 'master' } } }),
    JSON.parse('{"__proto__": {"ref": "refs/heads/llm-worker-rbee-cpu"}, "repository": {"full_name": "veighnsche/rbee-worker-catalog", "default_branch": "master"}}'),
    push({ ref: `refs/heads/${'a'.repeat(5000)}` }),
  ];
  for (const payload of hostile) {
    for (const event of ['push', 'delete']) {
      const outcome = classifyDelivery(event, payload, OPTIONS);
      assert.ok('ignore' in outcome, `${event} ${JSON.stringify(payload)?.slice(0, 100)} gave ${JSON.stringify(outcome)}`);
    }
  }
});

test('ping answers whatever repository sent it, with a string zen only', () => {
  assert.deepEqual(classifyDelivery('ping', { zen: 'Design for failure.', hook_id: 1 }, OPTIONS), { ping: true, zen: 'Design for failure.' });
  assert.deepEqual(classifyDelivery('ping', { zen: { evil: true }, repository: { full_name: 'other/repo' } }, OPTIONS), { ping: true });
});
