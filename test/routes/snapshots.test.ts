import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { catalogApp, emptyApp } from '../helpers/catalogApp.js';
import { errorAnswer } from '../helpers/errorAnswer.js';
import { expectErrors } from '../helpers/expectErrors.js';
import { historyApp } from '../helpers/historyApp.js';
import { HISTORY_WORKER } from '../helpers/historyRepository.js';
import { git, TEST_GIT_ENV } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

const SERVED = `/v1/workers/${HISTORY_WORKER}/snapshot.tar.gz`;
const versionSnapshot = (version: string): string => `/v1/workers/${HISTORY_WORKER}/versions/${encodeURIComponent(version)}/snapshot.tar.gz`;

interface TarHeader {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: Date;
  type: string;
  linkname: string | null;
}

async function tarHeaders(gz: Buffer): Promise<TarHeader[]> {
  const extract = tar.extract();
  const headers: TarHeader[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      headers.push(entry.header as TarHeader);
      entry.resume();
    }
  })();
  extract.end(gunzipSync(gz));
  await done;
  return headers;
}

/** Extracts with the system tar and compares every file, link and mode with `git ls-tree -r` at the commit. */
async function assertMatchesTree(t: Parameters<typeof makeTempDir>[0], gz: Buffer, gitdir: string, commit: string): Promise<void> {
  const dir = await makeTempDir(t, 'rbee-untar');
  writeFileSync(path.join(dir, 'snapshot.tar.gz'), gz);
  execFileSync('tar', ['-xzf', 'snapshot.tar.gz'], { cwd: dir });
  assert.deepEqual(readdirSync(dir).sort(), [HISTORY_WORKER, 'snapshot.tar.gz']);
  const root = path.join(dir, HISTORY_WORKER);
  const listing = (await git(['ls-tree', '-r', '-z', commit], { cwd: gitdir })).split('\0').filter((line) => line !== '');
  const extracted = new Set(readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => !entry.isDirectory()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name))));
  const expectedPaths = new Set<string>();
  for (const line of listing) {
    const [meta = '', file = ''] = line.split('\t');
    const [mode, type, oid = ''] = meta.split(' ');
    if (type === 'commit') {
      assert.ok(!extracted.has(file), `submodule ${file} is left out`);
      continue;
    }
    expectedPaths.add(file);
    const full = path.join(root, file);
    const content = gitBlob(gitdir, oid);
    if (mode === '120000') {
      assert.ok(lstatSync(full).isSymbolicLink(), `${file} is a symlink`);
      assert.equal(readlinkSync(full), content.toString('utf8'));
    } else {
      assert.deepEqual(readFileSync(full), content, file);
      assert.equal(lstatSync(full).mode & 0o777, mode === '100755' ? 0o755 : 0o644, `${file} mode`);
    }
  }
  assert.deepEqual([...extracted].sort(), [...expectedPaths].sort());
}

/** A blob's bytes as native git has them (nativeGit's `git` answers text; blobs may not be). */
function gitBlob(gitdir: string, oid: string): Buffer {
  return execFileSync('git', ['cat-file', 'blob', oid], { cwd: gitdir, env: TEST_GIT_ENV });
}

test('GET /v1/workers/:id/snapshot.tar.gz is the served commit\'s tree under one folder, as git has it', async (t) => {
  const { app, source, store } = await historyApp(t);
  const response = await app.inject({ url: SERVED, headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(response.statusCode, 200);
  const served = store.current!.workers.get(HISTORY_WORKER)!.record.commit;
  assert.equal(served.oid, source.commits.get('1:0.2.0-1'), 'the last good commit, not the rejected tip');
  assert.equal(response.headers['content-type'], 'application/gzip');
  assert.equal(response.headers['content-encoding'], undefined, 'the .tar.gz is the file, not an encoding');
  assert.equal(response.headers.vary, 'Accept-Encoding');
  assert.equal(response.headers['content-disposition'], `attachment; filename="${HISTORY_WORKER}.tar.gz"`);
  const digest = createHash('sha256').update(response.rawPayload).digest();
  assert.equal(response.headers['x-checksum-sha256'], digest.toString('hex'));
  assert.equal(response.headers['repr-digest'], `sha-256=:${digest.toString('base64')}:`);
  assert.ok(String(response.headers.etag).includes(served.oid));
  assert.equal(response.headers['last-modified'], new Date(served.time * 1000).toUTCString());
  await assertMatchesTree(t, response.rawPayload, source.gitdir, served.oid);
});

test('snapshot headers: sorted paths, mtime = commit time, uid/gid 0, no user names, fixed modes, symlinks as symlinks', async (t) => {
  const { app, store } = await historyApp(t);
  const served = store.current!.workers.get(HISTORY_WORKER)!.record.commit;
  const headers = await tarHeaders((await app.inject(SERVED)).rawPayload);
  const names = headers.map((header) => header.name);
  assert.deepEqual(names, [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  assert.equal(names[0], `${HISTORY_WORKER}/`);
  for (const header of headers) {
    assert.ok(header.name.startsWith(`${HISTORY_WORKER}/`), header.name);
    assert.deepEqual([header.uid, header.gid, header.uname, header.gname], [0, 0, '', '']);
    assert.equal(header.mtime.getTime(), served.time * 1000);
  }
  const byName = new Map(headers.map((header) => [header.name.slice(HISTORY_WORKER.length + 1), header]));
  assert.deepEqual([byName.get('patches/')?.type, byName.get('patches/')?.mode], ['directory', 0o755]);
  assert.deepEqual([byName.get('patches/apply.sh')?.type, byName.get('patches/apply.sh')?.mode], ['file', 0o755]);
  assert.deepEqual([byName.get('PKGBUILD')?.type, byName.get('PKGBUILD')?.mode], ['file', 0o644]);
  assert.deepEqual([byName.get('patches/latest.patch')?.type, byName.get('patches/latest.patch')?.linkname], ['symlink', 'fix.patch']);
});

test('the same snapshot twice gives the same bytes, also from a second app over its own copy of the repository', async (t) => {
  const first = await historyApp(t);
  const a = await first.app.inject(SERVED);
  const b = await first.app.inject(SERVED);
  assert.deepEqual(a.rawPayload, b.rawPayload);
  const second = await historyApp(t);
  // Native git wrote both repositories with the same identities and dates, so the commits are the same.
  assert.equal(second.source.commits.get('1:0.2.0-1'), first.source.commits.get('1:0.2.0-1'));
  const c = await second.app.inject(SERVED);
  assert.deepEqual(c.rawPayload, a.rawPayload);
  assert.equal(c.headers['x-checksum-sha256'], a.headers['x-checksum-sha256']);
  assert.equal(c.headers.etag, a.headers.etag);
});

test('GET /v1/workers/:id/versions/:version/snapshot.tar.gz is the tree of that version\'s commit', async (t) => {
  const { app, source } = await historyApp(t);
  for (const [version, label] of [['0.1.0-1', '0.1.0-1'], ['0.1.0-2', '0.1.0-2 patched'], ['1:0.3.0-1', '1:0.3.0-1 broken']] as const) {
    const response = await app.inject(versionSnapshot(version));
    assert.equal(response.statusCode, 200, version);
    const commit = source.commits.get(label)!;
    assert.ok(String(response.headers.etag).includes(commit), version);
    assert.equal(response.headers['content-disposition'], `attachment; filename="${HISTORY_WORKER}-${version.replace(':', '_')}.tar.gz"`);
    await assertMatchesTree(t, response.rawPayload, source.gitdir, commit);
  }
  // The served version's archive is the served snapshot.
  assert.deepEqual((await app.inject(versionSnapshot('1:0.2.0-1'))).rawPayload, (await app.inject(SERVED)).rawPayload);
});

test('Accept-Encoding: br or gzip leaves the tarball as it is: the same bytes and ETag as without it', async (t) => {
  const { app } = await historyApp(t);
  for (const url of [SERVED, versionSnapshot('0.1.0-1')]) {
    const plain = await app.inject(url);
    assert.ok(plain.rawPayload.byteLength >= 1024, 'large enough that sendCached would compress a compressible body');
    for (const encoding of ['br', 'gzip', 'br;q=1, gzip;q=0.5', '*']) {
      const response = await app.inject({ url, headers: { 'accept-encoding': encoding } });
      assert.equal(response.statusCode, 200, `${url} ${encoding}`);
      assert.equal(response.headers['content-encoding'], undefined, `${url} ${encoding}`);
      assert.equal(response.headers.etag, plain.headers.etag, `${url} ${encoding}`);
      assert.deepEqual(response.rawPayload, plain.rawPayload, `${url} ${encoding}`);
    }
  }
});

test('snapshots: 304 on If-None-Match and If-Modified-Since', async (t) => {
  const { app } = await historyApp(t);
  for (const url of [SERVED, versionSnapshot('0.1.0-1')]) {
    const first = await app.inject(url);
    const etag = first.headers.etag as string;
    for (const headers of [{ 'if-none-match': etag }, { 'if-none-match': `W/${etag}` }, { 'if-none-match': '*' }, { 'if-modified-since': String(first.headers['last-modified']) }]) {
      const again = await app.inject({ url, headers });
      assert.equal(again.statusCode, 304, `${url} ${JSON.stringify(headers)}`);
      assert.equal(again.rawPayload.byteLength, 0);
      assert.equal(again.headers.etag, etag);
      assert.equal(again.headers['x-checksum-sha256'], first.headers['x-checksum-sha256'], 'a 304 still names the file it validates');
    }
    assert.equal((await app.inject({ url, headers: { 'if-none-match': '"other"' } })).statusCode, 200);
    assert.equal((await app.inject({ url, headers: { 'if-modified-since': new Date(Date.parse(String(first.headers['last-modified'])) - 1000).toUTCString() } })).statusCode, 200);
  }
});

test('a submodule entry is left out of the snapshot', async (t) => {
  const { app, source, push } = await historyApp(t);
  // An embedded repository is committed as a gitlink (mode 160000), the way a submodule is.
  const vendor = path.join(source.work, 'vendor');
  await git(['init', '-q', vendor]);
  await git(['commit', '-q', '--allow-empty', '-m', 'vendored'], { cwd: vendor, env: { GIT_AUTHOR_DATE: '@1740787200 +0000', GIT_COMMITTER_DATE: '@1740787200 +0000' } });
  const tip = await push('1:0.3.0-1 with a submodule', () => undefined);
  assert.match(await git(['ls-tree', tip], { cwd: source.gitdir }), /^160000 commit [0-9a-f]{40}\tvendor$/m);
  const response = await app.inject(versionSnapshot('1:0.3.0-1'));
  assert.equal(response.statusCode, 200);
  assert.ok(String(response.headers.etag).includes(tip));
  const names = (await tarHeaders(response.rawPayload)).map((header) => header.name);
  assert.ok(!names.some((name) => name.includes('vendor')), names.join(' '));
  await assertMatchesTree(t, response.rawPayload, source.gitdir, tip);
});

test('a tree past the archive bounds is refused: 422 SNAPSHOT_TOO_LARGE', async (t) => {
  for (const archiveLimits of [{ maxEntries: 3 }, { maxBytes: 1024 }, { maxDepth: 1 }]) {
    const { app } = await historyApp(t, { historyOptions: { archiveLimits } });
    for (const url of [SERVED, versionSnapshot('0.1.0-2')]) {
      const response = await app.inject(url);
      assert.equal(response.statusCode, 422, `${url} ${JSON.stringify(archiveLimits)}`);
      assert.equal(errorAnswer(url, response).code, 'SNAPSHOT_TOO_LARGE');
    }
  }
});

test('snapshots: unknown worker or version, bad ids and versions, and no history', async (t) => {
  const { app } = await historyApp(t);
  await expectErrors(app, [
    ['/v1/workers/no-such-worker/snapshot.tar.gz', 404, 'WORKER_NOT_FOUND'],
    ['/v1/workers/no-such-worker/versions/0.1.0-1/snapshot.tar.gz', 404, 'WORKER_NOT_FOUND'],
    [versionSnapshot('7.0.0-1'), 404, 'VERSION_NOT_FOUND'],
    ['/v1/workers/BAD!/snapshot.tar.gz', 400, 'INVALID_WORKER_ID'],
    [`/v1/workers/${HISTORY_WORKER}/versions/latest/snapshot.tar.gz`, 400, 'INVALID_REQUEST'],
    [`/v1/workers/${HISTORY_WORKER}/versions/${'9'.repeat(101)}-1/snapshot.tar.gz`, 400, 'INVALID_REQUEST'],
  ]);
  const { store } = await catalogApp(t);
  await expectErrors(await emptyApp(t, store), [
    ['/v1/workers/llm-worker-rbee-cpu/snapshot.tar.gz', 503, 'HISTORY_UNAVAILABLE'],
    ['/v1/workers/llm-worker-rbee-cpu/versions/0.1.0-1/snapshot.tar.gz', 503, 'HISTORY_UNAVAILABLE'],
  ]);
});

test('the fixture catalog\'s snapshots hold every file of each branch', async (t) => {
  const { app, snapshot, fixture } = await catalogApp(t);
  for (const [id, served] of snapshot.workers) {
    const response = await app.inject(`/v1/workers/${id}/snapshot.tar.gz`);
    assert.equal(response.statusCode, 200, id);
    const names = (await tarHeaders(response.rawPayload)).map((header) => header.name).filter((name) => !name.endsWith('/'));
    const listing = (await git(['ls-tree', '-r', '--name-only', served.record.commit.oid], { cwd: fixture.gitdir })).trim().split('\n');
    assert.deepEqual(names, listing.map((name) => `${id}/${name}`).sort(), id);
  }
});
