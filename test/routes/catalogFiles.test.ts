// The whole-catalog files and the change feed, over a real index of the
// fixture repository and real pushes to it: catalog.json against the fixture
// files, the gzip dump against each /v1/workers/:id and native sha256sum,
// and /v1/changes against what was pushed.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { CatalogStore } from '../../src/catalog/catalogStore.js';
import { ChangeLog } from '../../src/catalog/changeLog.js';
import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';
import { FIXTURE_TIME } from '../../src/git/createRepositoryFromFolders.js';
import { catalogApp, catalogWorkerIds, emptyApp, TEST_GIT_URL, type FixtureRepository } from '../helpers/catalogApp.js';
import { errorAnswer } from '../helpers/errorAnswer.js';
import { expectErrors } from '../helpers/expectErrors.js';
import { fixtureFile, fixtureMetadata, fixtureVersion } from '../helpers/fixtureFiles.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

interface CatalogEntry { id: string; branch: string; variant: string; description: string; arch: string[]; git_url: string; pkgbuild_url: string }
interface ChangeEvent { type: string; id: string; version: string; commit: string; at: string }
interface Changes { events: ChangeEvent[]; cursor: string; more: boolean }
interface Dump { workers: Array<{ id: string; version: string; commit: { oid: string } }>; total: number; snapshot: string; cursor: string }

const execFileAsync = promisify(execFile);

/** Values of `key = …` lines of a fixture's .SRCINFO, in order. */
function srcinfoValues(id: string, key: string): string[] {
  return fixtureFile(id, '.SRCINFO').toString('utf8').split('\n').map((line) => line.trim())
    .filter((line) => line.startsWith(`${key} = `)).map((line) => line.slice(key.length + 3));
}

/** A clone of the fixture repository that commits and pushes with native git. */
async function pusher(t: TestContext, fixture: FixtureRepository) {
  const work = path.join(await makeTempDir(t, 'rbee-changes'), 'work');
  await git(['clone', '--quiet', fixture.gitdir, work]);
  return {
    async commit(branch: string, change: (dir: string) => void): Promise<string> {
      await git(['-C', work, 'checkout', '--quiet', '-B', branch, `origin/${branch}`]);
      change(work);
      await git(['-C', work, 'commit', '--quiet', '-am', `change ${branch}`]);
      await git(['-C', work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
      return (await git(['-C', work, 'rev-parse', 'HEAD'])).trim();
    },
    async remove(branch: string): Promise<void> {
      await git(['-C', work, 'push', '--quiet', 'origin', `:refs/heads/${branch}`]);
    },
    async restore(branch: string, oid: string): Promise<void> {
      await git(['-C', work, 'push', '--quiet', 'origin', `${oid}:refs/heads/${branch}`]);
    },
  };
}

const editFile = (file: string, edit: (text: string) => string) => (dir: string): void => {
  writeFileSync(path.join(dir, file), edit(readFileSync(path.join(dir, file), 'utf8')));
};

test('GET /v1/catalog.json lists every served worker in the planning documents\' format', async (t) => {
  const { app, snapshot } = await catalogApp(t);
  const response = await app.inject('/v1/catalog.json');
  assert.equal(response.statusCode, 200);
  assert.match(response.headers['content-type'] as string, /^application\/json/);
  const body = response.json() as { version: string; workers: CatalogEntry[] };
  assert.equal(response.body, `${JSON.stringify(body, null, 2)}\n`, 'pretty-printed with a final newline, as committed');
  assert.equal(body.version, '1.0');
  assert.deepEqual(body.workers.map((worker) => worker.id), catalogWorkerIds());
  for (const worker of body.workers) {
    const metadata = fixtureMetadata(worker.id);
    assert.deepEqual(worker, {
      id: worker.id,
      branch: worker.id,
      variant: metadata.worker_type,
      description: metadata.description,
      arch: srcinfoValues(worker.id, 'arch'),
      git_url: TEST_GIT_URL,
      pkgbuild_url: `/v1/workers/${worker.id}/PKGBUILD`,
    });
    const pkgbuild = await app.inject(worker.pkgbuild_url);
    assert.deepEqual(pkgbuild.rawPayload, fixtureFile(worker.id, 'PKGBUILD'), `${worker.pkgbuild_url} is the PKGBUILD`);
  }
  // The whole catalog changes without a newer commit when a worker goes, so it is dated by its snapshot.
  assert.equal(response.headers['last-modified'], snapshot.builtAt.toUTCString());
});

test('GET /v1/catalog.json is built once per snapshot and answers 304', async (t) => {
  const { app } = await catalogApp(t);
  const first = await app.inject('/v1/catalog.json');
  const etag = first.headers.etag as string;
  assert.match(etag, /^"[A-Za-z0-9_-]{22}"$/);
  assert.equal((await app.inject('/v1/catalog.json')).headers.etag, etag);
  assert.equal((await app.inject({ url: '/v1/catalog.json', headers: { 'if-none-match': `"other", W/${etag}` } })).statusCode, 304);
  assert.equal((await app.inject({ url: '/v1/catalog.json', headers: { 'if-none-match': '*' } })).statusCode, 304);
  assert.equal((await app.inject({ url: '/v1/catalog.json', headers: { 'if-modified-since': first.headers['last-modified'] as string } })).statusCode, 304);
  assert.equal((await app.inject({ url: '/v1/catalog.json', headers: { 'if-none-match': '"other"' } })).statusCode, 200);
});

test('GET /v1/index.json.gz is every /v1/workers/:id entry, the snapshot id and its cursor, gzip once', async (t) => {
  const { app, snapshot, store } = await catalogApp(t);
  const response = await app.inject({ url: '/v1/index.json.gz', headers: { 'accept-encoding': 'br, gzip' } });
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['content-type'], 'application/gzip');
  assert.equal(response.headers['content-encoding'], undefined, 'the file is gzip; it is not compressed again for transfer');
  const json = gunzipSync(response.rawPayload);
  const dump = JSON.parse(json.toString('utf8')) as Dump;
  assert.equal(dump.snapshot, snapshot.id);
  assert.equal(dump.cursor, store.changes.cursorOf(snapshot));
  assert.equal(dump.total, catalogWorkerIds().length);
  assert.deepEqual(dump.workers.map((worker) => worker.id), catalogWorkerIds());
  for (const id of catalogWorkerIds()) {
    const entry = await app.inject(`/v1/workers/${id}`);
    assert.ok(json.includes(entry.rawPayload), `${id}: the dump holds the entry's exact bytes`);
    assert.deepEqual(dump.workers.find((worker) => worker.id === id), entry.json());
  }
  const sha256 = createHash('sha256').update(response.rawPayload).digest('hex');
  assert.equal(response.headers['x-checksum-sha256'], sha256);
  assert.equal(response.headers['repr-digest'], `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`);
  assert.equal(response.headers['last-modified'], undefined, 'the cursor changes the file without a newer commit');
  const since = new Date((FIXTURE_TIME + 3600) * 1000).toUTCString();
  assert.equal((await app.inject({ url: '/v1/index.json.gz', headers: { 'if-modified-since': since } })).statusCode, 200);

  const again = await app.inject('/v1/index.json.gz');
  assert.deepEqual(again.rawPayload, response.rawPayload, 'the same bytes: compressed once for the snapshot');
  assert.equal(again.headers.etag, response.headers.etag);
  assert.equal((await app.inject({ url: '/v1/index.json.gz', headers: { 'if-none-match': response.headers.etag as string } })).statusCode, 304);
  const offered = await app.inject({ url: '/v1/index.json.gz', headers: { 'accept-encoding': 'br, gzip' } });
  assert.equal(offered.headers['content-encoding'], undefined, 'a .gz file is not compressed again for transfer');
  assert.deepEqual(offered.rawPayload, response.rawPayload);
});

test('GET /v1/index.json.gz.sha256 is what sha256sum checks the dump with', async (t) => {
  const { app } = await catalogApp(t);
  const dump = await app.inject('/v1/index.json.gz');
  const checksum = await app.inject('/v1/index.json.gz.sha256');
  assert.equal(checksum.statusCode, 200);
  assert.match(checksum.headers['content-type'] as string, /^text\/plain/);
  assert.equal(checksum.body, `${dump.headers['x-checksum-sha256'] as string}  index.json.gz\n`);
  const dir = await makeTempDir(t, 'rbee-dump');
  writeFileSync(path.join(dir, 'index.json.gz'), dump.rawPayload);
  writeFileSync(path.join(dir, 'index.json.gz.sha256'), checksum.rawPayload);
  const { stdout } = await execFileAsync('sha256sum', ['-c', 'index.json.gz.sha256'], { cwd: dir });
  assert.equal(stdout, 'index.json.gz: OK\n');
  writeFileSync(path.join(dir, 'index.json.gz'), Buffer.concat([dump.rawPayload, Buffer.from('x')]));
  await assert.rejects(execFileAsync('sha256sum', ['-c', 'index.json.gz.sha256'], { cwd: dir }), 'the oracle does fail on other bytes');

  assert.notEqual(checksum.headers.etag, dump.headers.etag);
  assert.equal((await app.inject({ url: '/v1/index.json.gz.sha256', headers: { 'if-none-match': checksum.headers.etag as string } })).statusCode, 304);
});

test('GET /v1/changes without since: no events and the current cursor, the dump\'s', async (t) => {
  const { app } = await catalogApp(t);
  const response = await app.inject('/v1/changes');
  assert.equal(response.statusCode, 200);
  const changes = response.json() as Changes;
  assert.deepEqual(changes.events, []);
  assert.equal(changes.more, false);
  const dump = JSON.parse(gunzipSync((await app.inject('/v1/index.json.gz')).rawPayload).toString('utf8')) as Dump;
  assert.equal(changes.cursor, dump.cursor, 'the first index is the baseline: no events before it');
  assert.deepEqual((await app.inject(`/v1/changes?since=${encodeURIComponent(dump.cursor)}`)).json(), { events: [], cursor: dump.cursor, more: false });
  assert.equal((await app.inject({ url: '/v1/changes', headers: { 'if-none-match': response.headers.etag as string } })).statusCode, 304);
  assert.match(response.headers['cache-control'] as string, /max-age=0/);
});

test('pushes become added, updated and removed events that take a dump to the next one', async (t) => {
  const { app, store, fixture } = await catalogApp(t);
  const push = await pusher(t, fixture);
  const rebuild = async (at: string): Promise<CatalogSnapshot> => {
    const next = await buildSnapshot({ repo: fixture.repo, gitUrl: TEST_GIT_URL, previous: store.current, now: () => new Date(at) });
    store.swap(next);
    return next;
  };
  const readDump = async (): Promise<Dump> => JSON.parse(gunzipSync((await app.inject('/v1/index.json.gz')).rawPayload).toString('utf8')) as Dump;
  const changesSince = async (cursor: string, limit?: number): Promise<Changes> => {
    const response = await app.inject(`/v1/changes?since=${encodeURIComponent(cursor)}${limit === undefined ? '' : `&limit=${limit}`}`);
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as Changes;
  };
  const before = await readDump();
  const removedOid = before.workers.find((worker) => worker.id === 'sd-worker-rbee-metal')!.commit.oid;

  // A moved branch whose version stays, a version bump, a deleted branch, and a rejected push.
  const readmeOid = await push.commit('llm-worker-rbee-rocm', editFile('README.md', () => '# moved\n'));
  const pkgrel = Number(srcinfoValues('llm-worker-rbee-cuda', 'pkgrel')[0]);
  const bumpedVersion = fixtureVersion('llm-worker-rbee-cuda').replace(new RegExp(`-${pkgrel}$`), `-${pkgrel + 1}`);
  assert.notEqual(bumpedVersion, fixtureVersion('llm-worker-rbee-cuda'));
  const bumpOid = await push.commit('llm-worker-rbee-cuda', (dir) => {
    editFile('PKGBUILD', (text) => text.replace(new RegExp(`^pkgrel=${pkgrel}$`, 'm'), `pkgrel=${pkgrel + 1}`))(dir);
    editFile('.SRCINFO', (text) => text.replace(new RegExp(`^\\tpkgrel = ${pkgrel}$`, 'm'), `\tpkgrel = ${pkgrel + 1}`))(dir);
  });
  await push.remove('sd-worker-rbee-metal');
  await push.commit('sd-worker-rbee-cpu', editFile('metadata.json', () => '{"broken": '));
  const first = await rebuild('2026-03-01T10:00:00.000Z');
  assert.ok(first.branches.get('sd-worker-rbee-cpu')?.rejected, 'the broken push is rejected, the last good version stays served');

  const afterFirst = await readDump();
  const page = await changesSince(before.cursor);
  assert.deepEqual(page.events, [
    { type: 'updated', id: 'llm-worker-rbee-cuda', version: bumpedVersion, commit: bumpOid, at: '2026-03-01T10:00:00.000Z' },
    { type: 'updated', id: 'llm-worker-rbee-rocm', version: fixtureVersion('llm-worker-rbee-rocm'), commit: readmeOid, at: '2026-03-01T10:00:00.000Z' },
    { type: 'removed', id: 'sd-worker-rbee-metal', version: fixtureVersion('sd-worker-rbee-metal'), commit: removedOid, at: '2026-03-01T10:00:00.000Z' },
  ]);
  assert.equal(page.more, false);
  assert.equal(page.cursor, afterFirst.cursor, 'the feed ends where the new dump starts');

  // The deleted branch comes back.
  await push.restore('sd-worker-rbee-metal', removedOid);
  await rebuild('2026-03-02T10:00:00.000Z');
  const afterSecond = await readDump();
  const added = await changesSince(page.cursor);
  assert.deepEqual(added.events, [
    { type: 'added', id: 'sd-worker-rbee-metal', version: fixtureVersion('sd-worker-rbee-metal'), commit: removedOid, at: '2026-03-02T10:00:00.000Z' },
  ]);
  assert.equal(added.cursor, afterSecond.cursor);

  // Replaying the feed over the first dump gives the last one.
  const replayed = new Map(before.workers.map((worker) => [worker.id, `${worker.version} ${worker.commit.oid}`]));
  for (const event of (await changesSince(before.cursor)).events) {
    if (event.type === 'removed') replayed.delete(event.id);
    else replayed.set(event.id, `${event.version} ${event.commit}`);
  }
  assert.deepEqual(new Map([...replayed].sort()), new Map(afterSecond.workers.map((worker) => [worker.id, `${worker.version} ${worker.commit.oid}`])));

  // A rebuild with nothing moved records nothing.
  await rebuild('2026-03-03T10:00:00.000Z');
  assert.deepEqual((await changesSince(afterSecond.cursor)).events, []);

  // Pages: limit=1 walks the same events one at a time.
  const walked: ChangeEvent[] = [];
  let cursor = before.cursor;
  for (let step = 0; step < 10; step += 1) {
    const one = await changesSince(cursor, 1);
    walked.push(...one.events);
    cursor = one.cursor;
    if (!one.more) break;
    assert.equal(one.events.length, 1);
  }
  assert.deepEqual(walked, (await changesSince(before.cursor)).events);
  assert.equal(walked.length, 4);
});

test('GET /v1/changes answers 304 until the log moves', async (t) => {
  const { app, store, fixture } = await catalogApp(t);
  const push = await pusher(t, fixture);
  const cursor = (await app.inject('/v1/changes')).json().cursor as string;
  const url = `/v1/changes?since=${encodeURIComponent(cursor)}`;
  const etag = (await app.inject(url)).headers.etag as string;
  assert.equal((await app.inject({ url, headers: { 'if-none-match': etag } })).statusCode, 304);
  await push.commit('llm-worker-rbee-rocm', editFile('README.md', () => '# moved\n'));
  store.swap(await buildSnapshot({ repo: fixture.repo, gitUrl: TEST_GIT_URL, previous: store.current }));
  const moved = await app.inject({ url, headers: { 'if-none-match': etag } });
  assert.equal(moved.statusCode, 200);
  assert.deepEqual((moved.json() as Changes).events.map((event) => event.id), ['llm-worker-rbee-rocm']);
});

test('GET /v1/changes: 410 CURSOR_EXPIRED for a cursor past the retained log or from another process', async (t) => {
  const { fixture, snapshot } = await catalogApp(t);
  const push = await pusher(t, fixture);
  const store = new CatalogStore({ changes: new ChangeLog({ capacity: 1 }) });
  store.swap(snapshot);
  const app = await emptyApp(t, store);
  const start = (await app.inject('/v1/changes')).json().cursor as string;
  await push.commit('llm-worker-rbee-rocm', editFile('README.md', () => '# moved\n'));
  await push.commit('llm-worker-rbee-metal', editFile('README.md', () => '# moved\n'));
  store.swap(await buildSnapshot({ repo: fixture.repo, gitUrl: TEST_GIT_URL, previous: store.current }));

  const expired = `/v1/changes?since=${encodeURIComponent(start)}`;
  const response = await app.inject(expired);
  assert.equal(response.statusCode, 410, 'two events happened; one is kept');
  assert.equal(errorAnswer(expired, response).code, 'CURSOR_EXPIRED');

  const other = new ChangeLog().head();
  const foreign = `/v1/changes?since=${encodeURIComponent(other)}`;
  const fromElsewhere = await app.inject(foreign);
  assert.equal(fromElsewhere.statusCode, 410);
  assert.equal(errorAnswer(foreign, fromElsewhere).code, 'CURSOR_EXPIRED');

  const kept = (await app.inject(`/v1/changes?since=${encodeURIComponent(`${store.changes.epoch}.1`)}`)).json() as Changes;
  assert.deepEqual(kept.events.map((event) => event.id), ['llm-worker-rbee-rocm'], 'the newest event is still answered');
});

test('GET /v1/changes: 400 for a malformed cursor or limit', async (t) => {
  const { app, store } = await catalogApp(t);
  const epoch = store.changes.epoch;
  for (const since of ['nope', `${epoch}.x`, `${epoch}.01`, `${epoch}.-1`, `${epoch}.5`, 'ABCDEF0123456789.0', '']) {
    const url = `/v1/changes?since=${encodeURIComponent(since)}`;
    const response = await app.inject(url);
    assert.equal(response.statusCode, 400, since);
    assert.equal(errorAnswer(url, response).code, since === '' ? 'INVALID_QUERY' : 'INVALID_CURSOR', since);
  }
  const long = `/v1/changes?since=${'a'.repeat(65)}`;
  assert.equal(errorAnswer(long, await app.inject(long)).code, 'INVALID_QUERY');
  for (const limit of ['0', '10001', 'abc', '1.5']) {
    const url = `/v1/changes?limit=${limit}`;
    const response = await app.inject(url);
    assert.equal(response.statusCode, 400, limit);
    assert.equal(errorAnswer(url, response).code, 'INVALID_QUERY', limit);
  }
});

test('the whole-catalog files answer 503 before the first index, and unknown siblings 404', async (t) => {
  await expectErrors(await emptyApp(t), ['/v1/catalog.json', '/v1/index.json.gz', '/v1/index.json.gz.sha256', '/v1/changes'].map((url) => [url, 503, 'CATALOG_NOT_READY'] as const));
  const { app: ready } = await catalogApp(t);
  for (const url of ['/v1/index.json.gz.md5', '/v1/catalog.json.gz']) assert.equal((await ready.inject(url)).statusCode, 404, url);
});
