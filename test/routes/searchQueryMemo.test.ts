import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogApp } from '../helpers/catalogApp.js';
import { snapshotWithout } from '../helpers/snapshotWithout.js';

// /v1/workers keeps each raw query string's parsed query and ETag per index: these hold it to
// answering exactly as a fresh parse would.

test('a query asked again answers as the first time; spellings of one query share its ETag', async (t) => {
  const { app } = await catalogApp(t);
  const first = await app.inject('/v1/workers?limit=50&sort=name');
  const again = await app.inject('/v1/workers?limit=50&sort=name');
  assert.equal(again.statusCode, 200);
  assert.equal(again.body, first.body);
  assert.equal(again.headers.etag, first.headers.etag);
  for (const spelling of ['/v1/workers?sort=name', '/v1/workers?sort=name&limit=50', '/v1/workers?limit=50&sort=name&ignored=1']) {
    assert.equal((await app.inject(spelling)).headers.etag, first.headers.etag, spelling);
  }
  assert.notEqual((await app.inject('/v1/workers?limit=2')).headers.etag, first.headers.etag);
});

test('a rejected query is rejected every time, not remembered as an answer', async (t) => {
  const { app } = await catalogApp(t);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    assert.equal((await app.inject('/v1/workers?sort=relevance')).statusCode, 400, 'relevance without q');
    assert.equal((await app.inject('/v1/workers?cursor=AAAA')).statusCode, 400, 'a cursor that is not one');
  }
});

test('the ETag of a remembered query follows a new index', async (t) => {
  const { app, store, snapshot } = await catalogApp(t);
  const before = await app.inject('/v1/workers?limit=50');
  assert.equal((await app.inject({ url: '/v1/workers?limit=50', headers: { 'if-none-match': String(before.headers.etag) } })).statusCode, 304);
  const [dropped] = [...snapshot.workers.keys()];
  store.swap(snapshotWithout(snapshot, [dropped!]));
  const after = await app.inject({ url: '/v1/workers?limit=50', headers: { 'if-none-match': String(before.headers.etag) } });
  assert.equal(after.statusCode, 200, 'the old tag names the old index');
  assert.notEqual(after.headers.etag, before.headers.etag);
  assert.ok(!after.body.includes(`"id":"${dropped}"`));
});
