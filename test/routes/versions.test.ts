import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { catalogApp, emptyApp, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { errorAnswer } from '../helpers/errorAnswer.js';
import { expectErrors, type ErrorCase } from '../helpers/expectErrors.js';
import { historyApp, nativeVersions } from '../helpers/historyApp.js';
import { HISTORY_WORKER } from '../helpers/historyRepository.js';
import { git } from '../helpers/nativeGit.js';
import { openApiValidator } from '../helpers/openApiValidator.js';
import { makeTempDir } from '../helpers/tempDir.js';

interface VersionsBody {
  id: string;
  branch: string;
  tip: string;
  complete: boolean;
  reason: string | null;
  commitsRead: number;
  maxCommits: number;
  unversionedCommits: number;
  versions: Array<{ version: string; commit: string; date: string; valid: boolean; problems: string[]; snapshot: string }>;
}

const VERSIONS = `/v1/workers/${HISTORY_WORKER}/versions`;

test('GET /v1/workers/:id/versions lists each version once, newest first, with the newest commit carrying it', async (t) => {
  const { app, source } = await historyApp(t);
  const response = await app.inject(VERSIONS);
  assert.equal(response.statusCode, 200);
  const body = response.json() as VersionsBody;
  const expected = await nativeVersions(source.gitdir, HISTORY_WORKER);
  assert.deepEqual(body.versions.map(({ version, commit, date }) => ({ version, commit, time: Date.parse(date) / 1000 })), expected);
  assert.deepEqual(expected.map((entry) => entry.version), ['1:0.3.0-1', '1:0.2.0-1', '0.1.0-2', '0.1.0-1']);
  // The README-only commit after 0.1.0-2 carries it now.
  assert.equal(body.versions[2]?.commit, source.commits.get('0.1.0-2 patched'));
  const tip = (await git(['rev-parse', HISTORY_WORKER], { cwd: source.gitdir })).trim();
  assert.equal(body.tip, tip);
  assert.equal(body.complete, true);
  assert.equal(body.reason, null);
  assert.equal(body.commitsRead, Number((await git(['rev-list', '--count', HISTORY_WORKER], { cwd: source.gitdir })).trim()));
  assert.equal(body.unversionedCommits, 0);
});

test('the rejected newer tip is history too: listed, not valid, with its error codes', async (t) => {
  const { app } = await historyApp(t);
  const body = (await app.inject(VERSIONS)).json() as VersionsBody;
  const [rejected, ...rest] = body.versions;
  assert.equal(rejected?.valid, false);
  assert.ok(rejected?.problems.includes('METADATA_MISSING'), JSON.stringify(rejected?.problems));
  for (const entry of rest) assert.deepEqual({ valid: entry.valid, problems: entry.problems }, { valid: true, problems: [] }, entry.version);
  // The served worker is still the last good version.
  const served = (await app.inject(`/v1/workers/${HISTORY_WORKER}`)).json() as { version: string };
  assert.equal(served.version, '1:0.2.0-1');
  assert.equal(rest[0]?.snapshot, `/v1/workers/${HISTORY_WORKER}/versions/1%3A0.2.0-1/snapshot.tar.gz`);
});

test('versions: the ETag names the tip; 304 on If-None-Match; a push changes it', async (t) => {
  const { app, push } = await historyApp(t);
  const first = await app.inject(VERSIONS);
  const etag = first.headers.etag as string;
  assert.equal(etag, `"versions-${HISTORY_WORKER}-${(first.json() as VersionsBody).tip}"`);
  for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
    const again = await app.inject({ url: VERSIONS, headers: { 'if-none-match': header } });
    assert.equal(again.statusCode, 304, header);
    assert.equal(again.body, '');
  }
  assert.equal((await app.inject({ url: VERSIONS, headers: { 'if-none-match': '"other"' } })).statusCode, 200);
  const oid = await push('README again', (work) => void work);
  const after = await app.inject({ url: VERSIONS, headers: { 'if-none-match': etag } });
  assert.equal(after.statusCode, 200);
  const body = after.json() as VersionsBody;
  assert.equal(body.tip, oid);
  // An empty commit keeps the version: it now carries 1:0.3.0-1.
  assert.equal(body.versions[0]?.commit, oid);
  assert.notEqual(after.headers.etag, etag);
});

test('versions: a force-push back to an older commit is a new answer, also for a client that sends If-Modified-Since', async (t) => {
  const { app, repo, store, source } = await historyApp(t);
  const first = await app.inject(VERSIONS);
  assert.equal(first.headers['last-modified'], undefined, 'no date could validate a rewound history');
  const older = source.commits.get('0.1.0-2 patched')!;
  await git(['push', '-q', '--force', source.gitdir, `${older}:refs/heads/${HISTORY_WORKER}`], { cwd: source.work });
  store.swap(await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, previous: store.current }));
  // A client that read the first answer: any date it sends is later than every commit left.
  const after = await app.inject({ url: VERSIONS, headers: { 'if-modified-since': new Date().toUTCString() } });
  assert.equal(after.statusCode, 200, 'If-Modified-Since cannot validate a rewound history');
  assert.deepEqual((after.json() as VersionsBody).versions.map((entry) => entry.version), ['0.1.0-2', '0.1.0-1']);
  assert.notEqual(after.headers.etag, first.headers.etag);
});

test('GET /v1/workers/:id/versions/:version/:file serves the file as of that version, as git shows it', async (t) => {
  const { app, source } = await historyApp(t);
  const body = (await app.inject(VERSIONS)).json() as VersionsBody;
  let checked = 0;
  for (const entry of body.versions) {
    for (const file of ['PKGBUILD', '.SRCINFO', 'metadata.json']) {
      const url = `/v1/workers/${HISTORY_WORKER}/versions/${encodeURIComponent(entry.version)}/${file}`;
      const response = await app.inject(url);
      const present = (await git(['ls-tree', '--name-only', entry.commit, file], { cwd: source.gitdir })).trim() !== '';
      if (!present) {
        assert.equal(response.statusCode, 404, url);
        assert.equal(errorAnswer(url, response).code, 'FILE_NOT_FOUND');
        continue;
      }
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.body, await git(['show', `${entry.commit}:${file}`], { cwd: source.gitdir }), url);
      const blob = (await git(['rev-parse', `${entry.commit}:${file}`], { cwd: source.gitdir })).trim();
      assert.equal(response.headers.etag, `"${blob}"`);
      assert.equal(response.headers['last-modified'], new Date(entry.date).toUTCString());
      assert.match(String(response.headers['content-type']), file === 'metadata.json' ? /^application\/json/ : /^text\/plain/);
      assert.equal((await app.inject({ url, headers: { 'if-none-match': `"${blob}"` } })).statusCode, 304);
      assert.equal((await app.inject({ url, headers: { 'if-modified-since': new Date(entry.date).toUTCString() } })).statusCode, 304);
      checked += 1;
    }
  }
  assert.equal(checked, 11, 'four versions × three files, less the rejected one\'s missing metadata.json');
  // The raw colon works as well as its escape.
  assert.equal((await app.inject(`/v1/workers/${HISTORY_WORKER}/versions/1:0.2.0-1/PKGBUILD`)).statusCode, 200);
});

test('versions: unknown worker, unknown version, bad ids and bad versions', async (t) => {
  const { app } = await historyApp(t);
  const cases: ErrorCase[] = [
    ['/v1/workers/no-such-worker/versions', 404, 'WORKER_NOT_FOUND'],
    ['/v1/workers/no-such-worker/versions/0.1.0-1/PKGBUILD', 404, 'WORKER_NOT_FOUND'],
    [`/v1/workers/${HISTORY_WORKER}/versions/9.9.9-1/PKGBUILD`, 404, 'VERSION_NOT_FOUND'],
    [`/v1/workers/${HISTORY_WORKER}/versions/2:0.2.0-1/.SRCINFO`, 404, 'VERSION_NOT_FOUND'],
    ['/v1/workers/Bad_ID/versions', 400, 'INVALID_WORKER_ID'],
    [`/v1/workers/${'a'.repeat(101)}/versions`, 400, 'INVALID_WORKER_ID'],
    ['/v1/workers/Bad_ID/versions/0.1.0-1/PKGBUILD', 400, 'INVALID_WORKER_ID'],
  ];
  for (const bad of ['0.1.0', '-1', '0.1.0-', 'a:0.1.0-1', '0.1.0-1.x', '0.1/0-1', '0.1.0-1;rm', `${'1'.repeat(120)}-1`, '0.1.0-1 ']) {
    cases.push([`/v1/workers/${HISTORY_WORKER}/versions/${encodeURIComponent(bad)}/PKGBUILD`, 400, 'INVALID_REQUEST']);
  }
  await expectErrors(app, cases);
});

test('versions: 503 HISTORY_UNAVAILABLE when the app has no history', async (t) => {
  const { store } = await catalogApp(t);
  await expectErrors(await emptyApp(t, store), [
    ['/v1/workers/llm-worker-rbee-cpu/versions', 503, 'HISTORY_UNAVAILABLE'],
    ['/v1/workers/llm-worker-rbee-cpu/versions/0.1.0-1/PKGBUILD', 503, 'HISTORY_UNAVAILABLE'],
    // Unknown workers are still 404: the history is not needed to know that.
    ['/v1/workers/nope/versions', 404, 'WORKER_NOT_FOUND'],
  ]);
});

test('the fixture catalog app serves versions: one commit per branch', async (t) => {
  const { app, snapshot } = await catalogApp(t);
  const body = (await app.inject('/v1/workers/llm-worker-rbee-metal/versions')).json() as VersionsBody;
  const served = snapshot.workers.get('llm-worker-rbee-metal')!.record;
  assert.deepEqual(body.versions.map((entry) => [entry.version, entry.commit, entry.valid]), [[served.version, served.commit.oid, true]]);
  assert.equal(body.complete, true);
});

test('a shallow mirror answers what it holds, complete: false, reason HISTORY_SHALLOW', async (t) => {
  const dir = await makeTempDir(t, 'rbee-shallow');
  const shallow = `${dir}/shallow.git`;
  const { source } = await historyApp(t, { withoutRejectedTip: true });
  await git(['clone', '-q', '--bare', '--depth', '1', '--no-single-branch', `file://${source.gitdir}`, shallow]);
  await git(['symbolic-ref', 'HEAD', 'refs/heads/master'], { cwd: shallow });
  const { app } = await historyApp(t, { gitdir: shallow, withoutRejectedTip: true });
  const response = await app.inject(VERSIONS);
  assert.equal(response.statusCode, 200);
  const body = response.json() as VersionsBody;
  assert.equal(body.complete, false);
  assert.equal(body.reason, 'HISTORY_SHALLOW');
  assert.deepEqual(body.versions.map((entry) => [entry.version, entry.valid]), [['1:0.2.0-1', true]]);
  assert.equal(body.commitsRead, 1);
  assert.match(String(response.headers.etag), /-HISTORY_SHALLOW"$/);
  // The version it holds is still pinned.
  assert.equal((await app.inject(`${VERSIONS}/1:0.2.0-1/PKGBUILD`)).statusCode, 200);
  assert.equal((await app.inject(`${VERSIONS}/0.1.0-1/PKGBUILD`)).statusCode, 404);
});

test('a walk past maxCommits is cut and says so: HISTORY_TRUNCATED', async (t) => {
  const { app } = await historyApp(t, { historyOptions: { maxCommits: 2 } });
  const body = (await app.inject(VERSIONS)).json() as VersionsBody;
  assert.deepEqual({ complete: body.complete, reason: body.reason, commitsRead: body.commitsRead, maxCommits: body.maxCommits }, { complete: false, reason: 'HISTORY_TRUNCATED', commitsRead: 2, maxCommits: 2 });
  assert.deepEqual(body.versions.map((entry) => entry.version), ['1:0.3.0-1', '1:0.2.0-1']);
});

test('versions answers match the schemas /openapi.json documents for them', async (t) => {
  const { app } = await historyApp(t);
  const check = await openApiValidator(app);
  const ok = await app.inject(VERSIONS);
  assert.deepEqual(check('/v1/workers/{id}/versions', 200, ok.json()), []);
  const missing = await app.inject('/v1/workers/nope/versions');
  assert.deepEqual(check('/v1/workers/{id}/versions', 404, missing.json()), []);
  const paths = Object.keys(((await app.inject('/openapi.json')).json() as { paths: Record<string, unknown> }).paths);
  for (const route of ['/v1/workers/{id}/versions', '/v1/workers/{id}/versions/{version}/PKGBUILD', '/v1/workers/{id}/versions/{version}/.SRCINFO', '/v1/workers/{id}/versions/{version}/metadata.json', '/v1/workers/{id}/snapshot.tar.gz', '/v1/workers/{id}/versions/{version}/snapshot.tar.gz']) {
    assert.ok(paths.includes(route), route);
  }
});
