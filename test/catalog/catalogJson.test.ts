// catalog.json: joined from cached entries, yet exactly the pretty-printed
// document; and, the clone URL aside, the catalog.json committed by hand on
// the fixture repository's default branch (fixtures/catalog/master).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { catalogJson, catalogJsonEntry, catalogJsonText } from '../../src/catalog/catalogJson.js';
import { CATALOG_FIXTURES, fixtureRepository } from '../helpers/catalogApp.js';

const GITHUB_URL = 'https://github.com/veighnsche/rbee-worker-catalog.git';

test('catalogJsonText is JSON.stringify(document, null, 2) plus a newline, empty or not', async (t) => {
  const { repo } = await fixtureRepository(t);
  const snapshot = await buildSnapshot({ repo, gitUrl: GITHUB_URL });
  const workers = [...snapshot.workers.values()];
  const document = { version: '1.0', workers: workers.map(catalogJsonEntry) };
  assert.equal(catalogJsonText(workers), `${JSON.stringify(document, null, 2)}\n`);
  assert.equal(catalogJsonText(workers), catalogJsonText(workers), 'cached entries give the same text');
  assert.equal(catalogJsonText([]), `${JSON.stringify({ version: '1.0', workers: [] }, null, 2)}\n`);
  assert.equal(catalogJson(snapshot), catalogJson(snapshot), 'one body per snapshot');
});

test('the generated file matches the hand-written fixture catalog.json but for pkgbuild_url', async (t) => {
  const { repo } = await fixtureRepository(t);
  const snapshot = await buildSnapshot({ repo, gitUrl: GITHUB_URL });
  type Doc = { workers: Array<Record<string, unknown>> };
  const withoutPkgbuildUrl = (doc: Doc): Doc => ({ ...doc, workers: doc.workers.map(({ pkgbuild_url: _, ...rest }) => rest) });
  const generated = JSON.parse(catalogJson(snapshot).body.toString('utf8')) as Doc;
  const committed = JSON.parse(readFileSync(path.join(CATALOG_FIXTURES, 'master', 'catalog.json'), 'utf8')) as Doc;
  assert.deepEqual(withoutPkgbuildUrl(generated), withoutPkgbuildUrl(committed));
  for (const worker of generated.workers) assert.equal(worker.pkgbuild_url, `/v1/workers/${String(worker.id)}/PKGBUILD`);
});
