// createSignatureVerifier against signatures computed independently with node:crypto.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSignatureVerifier } from '../../src/github/verifySignature.js';
import { PREVIOUS_SECRET, SECRET, sign } from './webhookClient.js';

const BODY = '{"zen":"Practicality beats purity."}';

test('a body signed with any configured secret verifies (rotation)', async () => {
  const verify = createSignatureVerifier([SECRET, PREVIOUS_SECRET]);
  assert.equal(await verify(BODY, sign(SECRET, BODY)), true);
  assert.equal(await verify(BODY, sign(PREVIOUS_SECRET, BODY)), true);
  assert.equal(await createSignatureVerifier([SECRET])(BODY, sign(PREVIOUS_SECRET, BODY)), false);
});

test('wrong secrets, changed bodies and malformed signatures do not verify', async () => {
  const verify = createSignatureVerifier([SECRET]);
  const good = sign(SECRET, BODY);
  const refused: [string, string | undefined][] = [
    [BODY, sign('another-secret-0123456789', BODY)],
    [`${BODY} `, good],
    [BODY, undefined],
    [BODY, ''],
    [BODY, good.slice(0, -1)],
    [BODY, good.replace('sha256=', 'sha1=')],
    [BODY, good.toUpperCase()],
    ['', sign(SECRET, '')],
  ];
  for (const [body, signature] of refused) assert.equal(await verify(body, signature), false, `${JSON.stringify(body)} ${signature}`);
});

test('with no secret nothing verifies', async () => {
  assert.equal(await createSignatureVerifier([])(BODY, sign(SECRET, BODY)), false);
});
