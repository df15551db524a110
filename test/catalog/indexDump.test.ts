// indexDump: compressed once per (snapshot, cursor), and the gzip holds the
// dump JSON exactly.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { indexDump, indexDumpJson } from '../../src/catalog/indexDump.js';
import { fixtureRepository, TEST_GIT_URL } from '../helpers/catalogApp.js';

test('indexDump is memoised per snapshot and cursor, and gunzips to indexDumpJson', async (t) => {
  const { repo } = await fixtureRepository(t);
  const snapshot = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });
  const first = indexDump(snapshot, '0123456789abcdef.0');
  assert.equal(indexDump(snapshot, '0123456789abcdef.0'), first, 'the same promise: compressed once');
  const dump = await first;
  assert.deepEqual(gunzipSync(dump.gz.body), indexDumpJson(snapshot, '0123456789abcdef.0'));
  assert.equal(dump.sha256, createHash('sha256').update(dump.gz.body).digest('hex'));
  assert.equal(dump.checksum.body.toString('utf8'), `${dump.sha256}  index.json.gz\n`);
  const json = JSON.parse(indexDumpJson(snapshot, '0123456789abcdef.0').toString('utf8')) as { workers: unknown[]; total: number; snapshot: string; cursor: string };
  assert.deepEqual(json.workers, [...snapshot.workers.values()].map((served) => JSON.parse(served.v1.body.toString('utf8'))));
  assert.deepEqual([json.total, json.snapshot, json.cursor], [snapshot.workers.size, snapshot.id, '0123456789abcdef.0']);

  const other = await indexDump(snapshot, '0123456789abcdef.7');
  assert.notEqual(other.gz.etag, dump.gz.etag, 'another cursor is another file');
  const rebuilt = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });
  assert.notEqual(indexDump(rebuilt, '0123456789abcdef.0'), first, 'another snapshot, its own dump');
});
