// scripts/validate.ts run as a maintainer runs it, on working copies; its
// verdict and problems must be the server's for the same files.

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { BROKEN_FIXTURES, CATALOG_FIXTURES, fixtureRepository, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { runScript } from '../helpers/runScript.js';
import { makeTempDir } from '../helpers/tempDir.js';

const validate = (args: readonly string[]) => runScript('validate', args);

const BROKEN = ['broken-bad-metadata', 'broken-metadata-schema', 'broken-missing-srcinfo', 'broken-pkgbase-mismatch'];

test('a good worker: exit 0 and a one-line verdict', async () => {
  const run = await validate([path.join(CATALOG_FIXTURES, 'llm-worker-rbee-premium')]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'llm-worker-rbee-premium: OK — would be served as version 1.2.0-1\n');
});

test('each broken fixture: exit 1, and exactly the problems the server reports for it', async (t) => {
  const { repo } = await fixtureRepository(t, { broken: BROKEN });
  const snapshot = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });
  for (const name of BROKEN) {
    const run = await validate([path.join(BROKEN_FIXTURES, name), '--json']);
    assert.equal(run.code, 1, `${name}: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as { branch: string; served: boolean; problems: unknown[] };
    assert.equal(report.branch, name);
    assert.equal(report.served, false);
    assert.deepEqual(report.problems, snapshot.branches.get(name)?.problems, name);
  }
  const human = await validate([path.join(BROKEN_FIXTURES, 'broken-bad-metadata')]);
  assert.match(human.stdout, /^metadata\.json:6: error METADATA_INVALID_JSON: /m);
  assert.match(human.stdout, /broken-bad-metadata: REJECTED — 1 error\n$/);
});

test('the branch comes from .git/HEAD; .git is not part of the tree; a stray folder is an error', async (t) => {
  const work = path.join(await makeTempDir(t, 'rbee-validate'), 'my-checkout');
  cpSync(path.join(CATALOG_FIXTURES, 'sd-worker-rbee-cuda'), work, { recursive: true });
  mkdirSync(path.join(work, '.git', 'objects'), { recursive: true });
  writeFileSync(path.join(work, '.git', 'HEAD'), 'ref: refs/heads/sd-worker-rbee-cuda\n');
  const clean = await validate([work]);
  assert.equal(clean.code, 0, clean.stdout);
  assert.match(clean.stdout, /^sd-worker-rbee-cuda: OK/);

  mkdirSync(path.join(work, 'src'));
  writeFileSync(path.join(work, 'src', 'main.rs'), 'fn main() {}\n');
  const stray = await validate([work, '--json']);
  assert.equal(stray.code, 1);
  assert.deepEqual((JSON.parse(stray.stdout) as { problems: Array<{ code: string }> }).problems.map((p) => p.code), ['SUBDIRECTORY_NOT_ALLOWED']);

  const renamed = await validate([work, '--branch', 'sd-worker-rbee-other']);
  assert.equal(renamed.code, 1);
  assert.match(renamed.stdout, /PKGBASE_MISMATCH|METADATA_ID_MISMATCH/);
});

test('bad usage or an unreadable folder: exit 2 with the usage', async () => {
  const none = await validate([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /usage: npm run validate -- DIR/);
  const missing = await validate(['/nonexistent/worker']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read \/nonexistent\/worker/);
});
