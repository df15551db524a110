import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogApp } from '../helpers/catalogApp.js';

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
