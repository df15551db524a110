// POST /webhooks/github over real HTTP to a listening app: signatures,
// rotation, readiness, replay, and what each delivery asks of the refresher.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pino } from 'pino';
import { WEBHOOK_BODY_LIMIT } from '../../src/routes/webhooks.js';
import {
  indexFixtures,
  postDelivery,
  PREVIOUS_SECRET,
  pushPayload,
  REPOSITORY,
  SECRET,
  sign,
  webhookApp,
} from '../github/webhookClient.js';

const BOTH = [SECRET, PREVIOUS_SECRET];

test('a signed push to a worker branch answers 202 and queues one branch request', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH, repository: REPOSITORY });
  const delivery = randomUUID();
  const answer = await postDelivery(url, { event: 'push', payload: pushPayload(), delivery });
  assert.equal(answer.status, 202);
  assert.deepEqual(answer.json, { accepted: true, delivery });
  assert.deepEqual(requester.calls, [{ kind: 'branch', branch: 'llm-worker-rbee-cpu', deliveryId: delivery }]);
});

test('created and forced pushes are branch requests like any push', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH });
  const created = await postDelivery(url, { event: 'push', payload: pushPayload({ ref: 'refs/heads/new-worker', created: true }) });
  const forced = await postDelivery(url, { event: 'push', payload: pushPayload({ forced: true }) });
  assert.equal(created.status, 202);
  assert.equal(forced.status, 202);
  assert.deepEqual(
    requester.calls.map(({ kind, ...rest }) => ({ kind, branch: 'branch' in rest ? rest.branch : undefined })),
    [
      { kind: 'branch', branch: 'new-worker' },
      { kind: 'branch', branch: 'llm-worker-rbee-cpu' },
    ],
  );
});

test('a deleted push and a branch delete event are delete requests', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH });
  const pushed = await postDelivery(url, { event: 'push', payload: pushPayload({ deleted: true }), delivery: 'd-1' });
  const deleteEvent = {
    ref: 'sd-worker-rbee-metal',
    ref_type: 'branch',
    pusher_type: 'user',
    repository: { full_name: REPOSITORY, default_branch: 'master' },
  };
  const deleted = await postDelivery(url, { event: 'delete', payload: deleteEvent, delivery: 'd-2' });
  assert.equal(pushed.status, 202);
  assert.equal(deleted.status, 202);
  assert.deepEqual(requester.calls, [
    { kind: 'delete', branch: 'llm-worker-rbee-cpu', deliveryId: 'd-1' },
    { kind: 'delete', branch: 'sd-worker-rbee-metal', deliveryId: 'd-2' },
  ]);
});

test('a push to the default branch asks for a full refresh', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH });
  const answer = await postDelivery(url, { event: 'push', payload: pushPayload({ ref: 'refs/heads/main', defaultBranch: 'main' }), delivery: 'full-1' });
  assert.equal(answer.status, 202);
  assert.deepEqual(requester.calls, [{ kind: 'full', reason: 'default branch push', deliveryId: 'full-1' }]);
});

test('tags, other events, bad branch names and other repositories are acknowledged and ignored', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH, repository: REPOSITORY });
  const cases: [string, unknown][] = [
    ['push', pushPayload({ ref: 'refs/tags/v1.0.0' })],
    ['issues', { action: 'opened', repository: { full_name: REPOSITORY, default_branch: 'master' } }],
    ['push', pushPayload({ ref: 'refs/heads/Not_A_Worker' })],
    ['push', pushPayload({ ref: 'refs/pull/1/head' })],
    ['push', pushPayload({ fullName: 'someone-else/rbee-worker-catalog' })],
  ];
  for (const [event, payload] of cases) {
    const delivery = randomUUID();
    const answer = await postDelivery(url, { event, payload, delivery });
    assert.equal(answer.status, 200, `${event} ${JSON.stringify(payload)}`);
    assert.equal(answer.json.ignored, true);
    assert.equal(answer.json.delivery, delivery);
    assert.equal(typeof answer.json.reason, 'string');
  }
  assert.deepEqual(requester.calls, []);
  // The repository comparison ignores case, as GitHub's names do.
  const upper = await postDelivery(url, { event: 'push', payload: pushPayload({ fullName: REPOSITORY.toUpperCase() }) });
  assert.equal(upper.status, 202);
  assert.equal(requester.calls.length, 1);
});

test('ping answers 200 with the zen', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH });
  const answer = await postDelivery(url, { event: 'ping', payload: { zen: 'Keep it logically awesome.', hook_id: 1 } });
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.json, { ok: true, zen: 'Keep it logically awesome.' });
  assert.deepEqual(requester.calls, []);
});

test('forged, tampered and missing signatures answer 401 and queue nothing', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH });
  const body = JSON.stringify(pushPayload());
  const tampered = JSON.stringify(pushPayload({ ref: 'refs/heads/llm-worker-rbee-cuda' }));
  const attempts = [
    { label: 'forged', body, secret: 'not-the-secret-0123456789' },
    { label: 'tampered', body: tampered, signature: sign(SECRET, body) },
    { label: 'missing', body, signature: null },
    { label: 'malformed', body, signature: 'sha1=0123' },
    { label: 'uppercase hex', body, signature: sign(SECRET, body).toUpperCase() },
  ];
  for (const { label, ...delivery } of attempts) {
    const answer = await postDelivery(url, { event: 'push', ...delivery });
    assert.equal(answer.status, 401, label);
    assert.equal(answer.json.code, 'WEBHOOK_SIGNATURE_INVALID', label);
    assert.equal(typeof answer.json.error, 'string');
  }
  assert.deepEqual(requester.calls, []);
});

test('a refused signature leaves a warn line without the secret or the body', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter((line) => line !== ''));
      done();
    },
  });
  const { url } = await webhookApp(t, { secrets: BOTH, logger: pino({ level: 'info' }, sink) });
  const payload = { ...pushPayload(), marker: 'BODY-MARKER-5b1f' };
  const answer = await postDelivery(url, { event: 'push', payload, secret: 'wrong-secret-0123456789', delivery: 'forged-1' });
  assert.equal(answer.status, 401);
  const warnings = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.level === 40);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]?.deliveryId, 'forged-1');
  for (const line of lines) {
    for (const secret of [SECRET, PREVIOUS_SECRET, 'BODY-MARKER-5b1f']) assert.ok(!line.includes(secret), `a log line holds ${secret}`);
  }
});

test('a body signed with the previous secret is accepted during rotation', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH });
  const answer = await postDelivery(url, { event: 'push', payload: pushPayload(), secret: PREVIOUS_SECRET });
  assert.equal(answer.status, 202);
  assert.equal(requester.calls.length, 1);
});

test('without a configured secret the endpoint answers 503 and processes nothing', async (t) => {
  for (const secrets of [undefined, []]) {
    const { url, requester } = await webhookApp(t, secrets === undefined ? {} : { secrets });
    const answer = await postDelivery(url, { event: 'push', payload: pushPayload() });
    assert.equal(answer.status, 503);
    assert.equal(answer.json.code, 'WEBHOOK_NOT_CONFIGURED');
    assert.deepEqual(requester.calls, []);
  }
});

test('before the first index a delivery answers 503 with Retry-After and is not remembered', async (t) => {
  const { url, requester, store } = await webhookApp(t, { secrets: BOTH, ready: false });
  const delivery = randomUUID();
  const early = await postDelivery(url, { event: 'push', payload: pushPayload(), delivery });
  assert.equal(early.status, 503);
  assert.equal(early.json.code, 'CATALOG_NOT_READY');
  assert.ok(Number(early.headers.get('retry-after')) > 0);
  assert.deepEqual(requester.calls, []);
  // A redelivery of the same id once the index exists is processed.
  await indexFixtures(t, store);
  const later = await postDelivery(url, { event: 'push', payload: pushPayload(), delivery });
  assert.equal(later.status, 202);
  assert.equal(requester.calls.length, 1);
});

test('a replayed delivery answers 200 duplicate and is not processed again', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH });
  const delivery = randomUUID();
  const first = await postDelivery(url, { event: 'push', payload: pushPayload(), delivery });
  const replay = await postDelivery(url, { event: 'push', payload: pushPayload(), delivery });
  assert.equal(first.status, 202);
  assert.equal(replay.status, 200);
  assert.deepEqual(replay.json, { duplicate: true, delivery });
  assert.equal(requester.calls.length, 1);
});

test('a forged request cannot burn a delivery id', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH });
  const delivery = randomUUID();
  const forged = await postDelivery(url, { event: 'push', payload: pushPayload(), delivery, secret: 'attacker-secret-0123456789' });
  const real = await postDelivery(url, { event: 'push', payload: pushPayload(), delivery });
  assert.equal(forged.status, 401);
  assert.equal(real.status, 202);
  assert.equal(requester.calls.length, 1);
});

test('missing or malformed GitHub headers answer 400', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH });
  const cases = [
    { event: undefined, delivery: randomUUID(), header: 'X-GitHub-Event' },
    { event: 'push', delivery: undefined, header: 'X-GitHub-Delivery' },
    { event: 'push', delivery: 'has spaces; and more', header: 'X-GitHub-Delivery' },
  ];
  for (const { header, ...delivery } of cases) {
    const answer = await postDelivery(url, { ...delivery, payload: pushPayload() });
    assert.equal(answer.status, 400, header);
    assert.equal(answer.json.code, 'WEBHOOK_HEADERS_INVALID');
    assert.match(String(answer.json.error), new RegExp(header));
  }
  assert.deepEqual(requester.calls, []);
});

test('a validly signed body that is not a JSON object answers 400', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH });
  for (const body of ['{"ref": "refs/heads/x"', '[1,2,3]', 'null']) {
    const answer = await postDelivery(url, { event: 'push', body });
    assert.equal(answer.status, 400, body);
    assert.equal(answer.json.code, 'WEBHOOK_PAYLOAD_INVALID');
  }
  assert.deepEqual(requester.calls, []);
});

test('a form-encoded delivery (payload= field) is accepted; other media types answer 415', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH });
  const form = new URLSearchParams({ payload: JSON.stringify(pushPayload()) }).toString();
  const accepted = await postDelivery(url, { event: 'push', body: form, contentType: 'application/x-www-form-urlencoded' });
  assert.equal(accepted.status, 202);
  const noField = await postDelivery(url, { event: 'push', body: 'other=1', contentType: 'application/x-www-form-urlencoded' });
  assert.equal(noField.status, 400);
  assert.equal(noField.json.code, 'WEBHOOK_PAYLOAD_INVALID');
  const text = await postDelivery(url, { event: 'push', body: JSON.stringify(pushPayload()), contentType: 'text/plain' });
  assert.equal(text.status, 415);
  assert.equal(requester.calls.length, 1);
});

test('a body over the route limit answers 413 and queues nothing', async (t) => {
  const { app, requester } = await webhookApp(t, { secrets: BOTH });
  const body = JSON.stringify({ ...pushPayload(), padding: 'x'.repeat(WEBHOOK_BODY_LIMIT) });
  const response = await app.inject({
    method: 'POST',
    url: '/webhooks/github',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': sign(SECRET, body) },
    payload: body,
  });
  assert.equal(response.statusCode, 413);
  assert.deepEqual(requester.calls, []);
  // The catalog's own 1 MB limit does not apply to this route.
  const big = JSON.stringify({ ...pushPayload(), padding: 'x'.repeat(2 * 1024 * 1024) });
  const accepted = await app.inject({
    method: 'POST',
    url: '/webhooks/github',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': sign(SECRET, big) },
    payload: big,
  });
  assert.equal(accepted.statusCode, 202);
});

// GitHub's own example payloads, each signed and sent: none may cause a 5xx.
interface ExampleGroup {
  readonly name: string;
  readonly examples: readonly Record<string, unknown>[];
}
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as readonly ExampleGroup[];

test('every push/create/delete/ping example from @octokit/webhooks-examples is answered sensibly', async (t) => {
  const { url, requester } = await webhookApp(t, { secrets: BOTH });
  let sent = 0;
  for (const group of examples.filter((candidate) => ['push', 'create', 'delete', 'ping'].includes(candidate.name))) {
    for (const payload of group.examples) {
      const callsBefore = requester.calls.length;
      const answer = await postDelivery(url, { event: group.name, payload });
      sent += 1;
      const label = `${group.name} example ${JSON.stringify(payload).slice(0, 80)}`;
      assert.ok(answer.status < 500, label);
      if (group.name === 'ping') {
        assert.equal(answer.status, 200, label);
        assert.equal(answer.json.ok, true, label);
        continue;
      }
      const repository = payload.repository as { default_branch?: unknown } | undefined;
      if (group.name === 'push' && payload.ref === `refs/heads/${String(repository?.default_branch)}`) {
        assert.equal(answer.status, 202, label);
        assert.equal(requester.calls.at(-1)?.kind, 'full', label);
      } else {
        // The examples' other pushes, creates and deletes are all about tags.
        assert.equal(answer.status, 200, label);
        assert.equal(answer.json.ignored, true, label);
        assert.equal(requester.calls.length, callsBefore, label);
      }
    }
  }
  assert.ok(sent >= 10, `only ${sent} examples were sent`);
  assert.ok(requester.calls.length > 0, 'no example push reached the default branch');
});
