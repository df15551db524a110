import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { jsonBody, jsonListBody, lazyBody } from '../../src/catalog/cachedBody.js';

test('a list body is the JSON of its entries and extra fields', () => {
  const entries = [jsonBody({ id: 'a', n: 1 }), jsonBody({ id: 'b', text: 'x,y]}' })];
  const list = jsonListBody('workers', entries, { total: 2 });
  assert.deepEqual(JSON.parse(list.body.toString('utf8')), { workers: [{ id: 'a', n: 1 }, { id: 'b', text: 'x,y]}' }], total: 2 });
  assert.equal(list.contentType, 'application/json; charset=utf-8');
  assert.deepEqual(JSON.parse(jsonListBody('workers', []).body.toString('utf8')), { workers: [] });
});

test('a list ETag changes exactly when the bytes change', () => {
  const a = jsonBody({ id: 'a' });
  const b = jsonBody({ id: 'b' });
  const b2 = jsonBody({ id: 'b', version: 2 });
  const etag = (entries: typeof a[], extra?: Record<string, unknown>) => jsonListBody('workers', entries, extra).etag;
  assert.equal(etag([a, b]), etag([jsonBody({ id: 'a' }), jsonBody({ id: 'b' })]), 'same bytes, same ETag');
  assert.notEqual(etag([a, b]), etag([a, b2]), 'one entry changed');
  assert.notEqual(etag([a, b]), etag([b, a]), 'order changed');
  assert.notEqual(etag([a, b]), etag([a]), 'entry removed');
  assert.notEqual(etag([a, b], { total: 2 }), etag([a, b], { total: 3 }), 'extra field changed');
  assert.notEqual(jsonListBody('workers', [a]).etag, jsonListBody('items', [a]).etag, 'key changed');
  assert.match(etag([a, b]), /^"[A-Za-z0-9_-]{22}"$/);
});

test('a list body is joined once and then reused', () => {
  const list = jsonListBody('workers', [jsonBody({ id: 'a' })]);
  assert.equal(list.body, list.body);
});

test('a lazy body is built on first use, once', () => {
  let builds = 0;
  const lazy = lazyBody(() => {
    builds += 1;
    return jsonBody({ built: builds });
  });
  assert.equal(builds, 0, 'nothing built before use');
  const etag = lazy.etag;
  assert.equal(builds, 1);
  assert.deepEqual(JSON.parse(lazy.body.toString('utf8')), { built: 1 });
  assert.equal(lazy.etag, etag);
  assert.equal(lazy.contentType, 'application/json; charset=utf-8');
  assert.equal(builds, 1, 'built once');
});

test('a JSON body owns a buffer of exactly its bytes, whatever else was allocated around it', () => {
  // A body kept for a snapshot's life must not keep a shared 8 kB pool slab alive with it.
  const bodies = Array.from({ length: 20 }, (_, n) => {
    Buffer.from(`transient ${n}`);
    return jsonBody({ id: `worker-${n}`, text: 'é'.repeat(n) });
  });
  for (const [n, { body, etag }] of bodies.entries()) {
    assert.deepEqual(JSON.parse(body.toString('utf8')), { id: `worker-${n}`, text: 'é'.repeat(n) });
    assert.equal(body.buffer.byteLength, body.byteLength);
    assert.equal(body.byteOffset, 0);
    assert.equal(etag, `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`);
  }
});
