// Commit statuses: what is posted for each kind of indexed branch, and how
// the reporter behaves when GitHub answers, fails, limits or is gone —
// against a recording HTTP server on loopback, with the real Octokit client.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BranchRecord } from '../../src/catalog/branchRecord.js';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import type { Problem } from '../../src/catalog/problem.js';
import { commitStatusFor, STATUS_CONTEXT } from '../../src/github/commitStatus.js';
import { CommitStatusReporter } from '../../src/github/commitStatusReporter.js';
import { createGithubClient } from '../../src/github/githubClient.js';
import type { GitLogger } from '../../src/git/gitLogger.js';
import { fixtureRepository, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { startFakeGithub, type ScriptedAnswer } from '../helpers/fakeGithub.js';
import { freePort } from '../../scripts/lib/serviceProcess.js';

const BASE = 'https://catalog.rbee.dev';

async function fixtureRecords(t: Parameters<typeof fixtureRepository>[0]): Promise<ReadonlyMap<string, BranchRecord>> {
  const { repo } = await fixtureRepository(t, { broken: ['broken-bad-metadata'] });
  return (await buildSnapshot({ repo, gitUrl: TEST_GIT_URL })).branches;
}

function recordingLogger(): GitLogger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (details: Record<string, unknown>, message: string) => lines.push(`${level} ${message} ${JSON.stringify(details)}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A reporter for rbee/catalog through the real client, pointed at `apiUrl`. */
function reporterFor(apiUrl: string, logger: GitLogger, options: { token: string; waitUnitMs: number; retries?: number; publicBaseUrl: string | undefined }): CommitStatusReporter {
  const { token, waitUnitMs, retries, publicBaseUrl } = options;
  return new CommitStatusReporter({
    client: createGithubClient({ token, apiUrl, logger, waitUnitMs, ...(retries === undefined ? {} : { retries }) }),
    repository: 'rbee/catalog',
    publicBaseUrl,
    logger,
  });
}

test('served, rejected, rejected-newer and unreadable commits get success, failure, failure and error', async (t) => {
  const branches = await fixtureRecords(t);
  const good = branches.get('llm-worker-rbee-cpu')!;
  assert.deepEqual(commitStatusFor(good, BASE), {
    sha: good.oid, state: 'success', description: 'Served as 0.1.0-1', context: STATUS_CONTEXT,
    target_url: `${BASE}/v1/workers/llm-worker-rbee-cpu/problems`,
  });
  const bad = branches.get('broken-bad-metadata')!;
  const failure = commitStatusFor(bad, undefined);
  assert.equal(failure.state, 'failure');
  assert.equal(failure.sha, bad.oid);
  assert.equal(failure.description, 'Rejected: METADATA_INVALID_JSON (metadata.json:6)');
  assert.equal(failure.target_url, undefined, 'no link without PUBLIC_BASE_URL');

  const rejectedOid = 'c'.repeat(40);
  const newer: BranchRecord = { ...good, oid: rejectedOid, rejected: { oid: rejectedOid, commit: undefined, problems: bad.problems } };
  assert.deepEqual(
    { ...commitStatusFor(newer, BASE), target_url: undefined },
    { sha: rejectedOid, state: 'failure', description: 'Rejected: METADATA_INVALID_JSON (metadata.json:6); still serving 0.1.0-1', context: STATUS_CONTEXT, target_url: undefined },
  );
  const unreadable: BranchRecord = { name: 'x', oid: 'd'.repeat(40), commit: undefined, workers: [], problems: [{ code: 'GIT_READ_FAILED', severity: 'error', file: '', message: 'gone' }] };
  assert.equal(commitStatusFor(unreadable, BASE).state, 'error');
});

test('descriptions stay within GitHub’s 140 characters and count what they leave out', async (t) => {
  const good = (await fixtureRecords(t)).get('llm-worker-rbee-cpu')!;
  const many: Problem[] = Array.from({ length: 30 }, (_, index) => ({ code: `SOME_LONG_PROBLEM_CODE_${index}`, severity: 'error', file: 'PKGBUILD', line: index + 1, message: '' }));
  const status = commitStatusFor({ ...good, workers: [], problems: many }, BASE);
  assert.ok(status.description.length <= 140, status.description);
  assert.match(status.description, /^Rejected: SOME_LONG_PROBLEM_CODE_0 \(PKGBUILD:1\), .* \+\d+ more$/);
  const warned = commitStatusFor({ ...good, problems: [{ code: 'SOURCE_NOT_HTTPS', severity: 'warning', file: '.SRCINFO', line: 9, message: '' }] }, BASE);
  assert.equal(warned.description, 'Served as 0.1.0-1 with warnings: SOURCE_NOT_HTTPS (.SRCINFO:9)');
});

test('the reporter posts to /repos/:owner/:repo/statuses/:sha with the token, once per commit', async (t) => {
  const github = await startFakeGithub(t);
  const branches = await fixtureRecords(t);
  const logger = recordingLogger();
  const reporter = reporterFor(github.url, logger, { token: 'ghs_test_token', waitUnitMs: 1, publicBaseUrl: BASE });
  const records = [branches.get('llm-worker-rbee-cpu')!, branches.get('broken-bad-metadata')!];
  reporter.report(records);
  reporter.report(records);
  await reporter.idle();
  assert.deepEqual(github.calls.map((call) => `${call.method} ${call.path} ${call.body.state as string}`), [
    `POST /repos/rbee/catalog/statuses/${records[0]!.oid} success`,
    `POST /repos/rbee/catalog/statuses/${records[1]!.oid} failure`,
  ]);
  assert.equal(github.calls[0]?.authorization, 'token ghs_test_token');
  assert.equal(github.calls[0]?.body.context, STATUS_CONTEXT);
  assert.ok(!logger.lines.join('\n').includes('ghs_test_token'), 'the token is never logged');
});

test('server errors are retried; a secondary rate limit is waited out', async (t) => {
  const script: Array<ScriptedAnswer | undefined> = [
    { status: 502, body: { message: 'Bad gateway' } },
    { status: 500, body: { message: 'Server error' } },
    undefined,
    { status: 403, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } },
    undefined,
  ];
  const github = await startFakeGithub(t, (index) => script[index]);
  const branches = await fixtureRecords(t);
  const logger = recordingLogger();
  const reporter = reporterFor(github.url, logger, { token: 't', waitUnitMs: 1, publicBaseUrl: undefined });
  reporter.report([branches.get('llm-worker-rbee-cpu')!]);
  await reporter.idle();
  assert.equal(github.calls.length, 3, 'two failures, then the status');
  reporter.report([branches.get('llm-worker-rbee-cuda')!]);
  await reporter.idle();
  assert.equal(github.calls.length, 5, 'limited once, then posted');
  assert.ok(logger.lines.some((line) => line.startsWith('warn GitHub secondary rate limit hit')), logger.lines.join('\n'));
  assert.ok(!logger.lines.some((line) => line.startsWith('error')), logger.lines.join('\n'));
});

test('GitHub unreachable: the reporter logs, gives up, and never throws', async (t) => {
  const branches = await fixtureRecords(t);
  const logger = recordingLogger();
  const port = await freePort();
  const reporter = reporterFor(`http://127.0.0.1:${port}`, logger, { token: 't', waitUnitMs: 1, retries: 1, publicBaseUrl: undefined });
  assert.doesNotThrow(() => reporter.report([branches.get('llm-worker-rbee-cpu')!]));
  await reporter.idle();
  assert.ok(logger.lines.some((line) => line.startsWith('error could not post a commit status')), logger.lines.join('\n'));
});

test('close() drops what is queued and does not wait out GitHub’s back-off', async (t) => {
  const github = await startFakeGithub(t, () => ({ status: 500, body: { message: 'down' } }));
  const branches = await fixtureRecords(t);
  const logger = recordingLogger();
  // One unit of retry-after is a full second here, as in production.
  const reporter = reporterFor(github.url, logger, { token: 't', waitUnitMs: 1000, publicBaseUrl: undefined });
  reporter.report([branches.get('llm-worker-rbee-cpu')!, branches.get('llm-worker-rbee-cuda')!, branches.get('sd-worker-rbee-cpu')!]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const started = Date.now();
  await reporter.close(500);
  assert.ok(Date.now() - started < 1500, `close took ${Date.now() - started} ms`);
  assert.ok(logger.lines.some((line) => line.startsWith('warn shutting down: commit statuses not posted {"dropped":2}')), logger.lines.join('\n'));
});
