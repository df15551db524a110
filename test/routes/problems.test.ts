import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogApp } from '../helpers/catalogApp.js';
import { errorAnswer } from '../helpers/errorAnswer.js';

interface Report {
  branches: { branch: string; commit: string; served: boolean; problems: { code: string; severity: string; file: string; line?: number }[] }[];
  total: number;
}

const EXPECTED: Record<string, { code: string; file: string }> = {
  'broken-missing-srcinfo': { code: 'SRCINFO_MISSING', file: '.SRCINFO' },
  'broken-bad-metadata': { code: 'METADATA_INVALID_JSON', file: 'metadata.json' },
  'broken-pkgbase-mismatch': { code: 'SRCINFO_PKGBASE_MISMATCH', file: '.SRCINFO' },
  'broken-metadata-schema': { code: 'METADATA_SCHEMA', file: 'metadata.json' },
};

test('GET /v1/problems lists each broken branch, unserved, with a stable error code', async (t) => {
  const { app, snapshot } = await catalogApp(t, { broken: Object.keys(EXPECTED) });
  const report = (await app.inject('/v1/problems')).json() as Report;
  for (const [branch, expected] of Object.entries(EXPECTED)) {
    const entry = report.branches.find((candidate) => candidate.branch === branch);
    assert.ok(entry, `${branch} is listed`);
    assert.equal(entry.served, false);
    assert.equal(entry.commit, snapshot.branches.get(branch)?.oid);
    const problem = entry.problems.find((candidate) => candidate.code === expected.code);
    assert.ok(problem, `${branch} reports ${expected.code}: got ${entry.problems.map((p) => p.code).join(', ')}`);
    assert.equal(problem.severity, 'error');
    assert.equal(problem.file, expected.file);
  }
  assert.equal(report.total, report.branches.length);
});

test('invalid JSON in metadata.json is reported with its line', async (t) => {
  const { app } = await catalogApp(t, { broken: ['broken-bad-metadata'] });
  const report = (await app.inject('/v1/problems')).json() as Report;
  const problem = report.branches.find((entry) => entry.branch === 'broken-bad-metadata')
    ?.problems.find((candidate) => candidate.code === 'METADATA_INVALID_JSON');
  assert.equal(typeof problem?.line, 'number');
});

test('a clean catalog reports no unserved branches', async (t) => {
  const { app } = await catalogApp(t);
  const report = (await app.inject('/v1/problems')).json() as Report;
  assert.deepEqual(report.branches.filter((entry) => !entry.served), []);
});

test('GET /v1/workers/:id/problems: one branch, served or not; 404 for no such branch', async (t) => {
  const { app, snapshot } = await catalogApp(t, { broken: ['broken-pkgbase-mismatch'] });
  const broken = await app.inject('/v1/workers/broken-pkgbase-mismatch/problems');
  assert.equal(broken.statusCode, 200);
  const report = broken.json() as { branch: string; served: boolean; commit: string; problems: { code: string }[]; rejectedNewerCommit: unknown };
  assert.equal(report.branch, 'broken-pkgbase-mismatch');
  assert.equal(report.served, false);
  assert.equal(report.commit, snapshot.branches.get('broken-pkgbase-mismatch')?.oid);
  assert.deepEqual(report.problems.map((problem) => problem.code), ['SRCINFO_PKGBASE_MISMATCH']);
  assert.equal(report.rejectedNewerCommit, null);

  const good = await app.inject('/v1/workers/llm-worker-rbee-cpu/problems');
  assert.deepEqual({ ...(good.json() as object), commit: undefined }, { branch: 'llm-worker-rbee-cpu', served: true, commit: undefined, problems: [], rejectedNewerCommit: null });
  const again = await app.inject({ url: '/v1/workers/llm-worker-rbee-cpu/problems', headers: { 'if-none-match': good.headers.etag as string } });
  assert.equal(again.statusCode, 304);

  const missing = await app.inject('/v1/workers/no-such-worker/problems');
  assert.equal(missing.statusCode, 404);
  assert.equal(errorAnswer('/v1/workers/no-such-worker/problems', missing).code, 'BRANCH_NOT_FOUND');
  assert.equal((await app.inject('/v1/workers/Bad..Id/problems')).statusCode, 400);
});
