// npm run export-static must write every file as the same bytes a live
// service over the same repository answers, with the ETag and headers the
// manifest names; it refuses unsafe paths, conflicting paths and folders that
// already hold something.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { CatalogStore } from '../../src/catalog/catalogStore.js';
import { ChangeLog } from '../../src/catalog/changeLog.js';
import { gitWorkerHistory } from '../../src/catalog/gitWorkerHistory.js';
import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';
import { EXPORTED_HEADERS, exportStatic, type ExportManifest } from '../../scripts/lib/exportStatic.js';
import { exportFilePath } from '../../scripts/lib/exportFilePath.js';
import { exportEpoch, exportStore } from '../../scripts/lib/exportStore.js';
import { staticExportPlan } from '../../scripts/lib/staticExportPlan.js';
import { emptyApp, fixtureRepository, TEST_GIT_URL, type FixtureRepository } from '../helpers/catalogApp.js';
import { runScript } from '../helpers/runScript.js';
import { makeTempDir } from '../helpers/tempDir.js';

const BROKEN = ['broken-bad-metadata'];
const PACKAGE_VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

interface LiveService {
  readonly app: FastifyInstance;
  readonly snapshot: CatalogSnapshot;
  readonly fixture: FixtureRepository;
}

/**
 * A service of its own over the fixture repository, built as server.ts builds
 * it; only its change-log epoch is pinned to the export's, since the index
 * dump carries a cursor and a live epoch is random.
 */
async function liveService(t: TestContext): Promise<LiveService> {
  const fixture = await fixtureRepository(t, { broken: BROKEN });
  const snapshot = await buildSnapshot({ repo: fixture.repo, gitUrl: TEST_GIT_URL });
  const store = new CatalogStore({ changes: new ChangeLog({ epoch: exportEpoch(snapshot) }) });
  store.swap(snapshot);
  const app = await emptyApp(t, store, { serviceVersion: PACKAGE_VERSION, history: gitWorkerHistory({ repo: fixture.repo }) });
  return { app, snapshot, fixture };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

test('export-static writes every file as the live answer\'s bytes, with its ETag and headers in the manifest', async (t) => {
  const { app, snapshot, fixture } = await liveService(t);
  const dir = await makeTempDir(t, 'rbee-export');
  const out = path.join(dir, 'site');
  const run = await runScript('export-static', ['--repo', fixture.gitdir, '--git-url', TEST_GIT_URL, '--out', out, '--cache-dir', path.join(dir, 'cache')]);
  assert.equal(run.code, 0, run.stderr);
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as ExportManifest;
  assert.equal(manifest.snapshot, snapshot.id);
  assert.equal(manifest.baseUrl, null);

  // The export holds what rbee-hive and the v1 readers fetch, for every served worker and every branch.
  const urls = new Set(manifest.files.map((file) => file.url));
  for (const url of ['/workers', '/v1/workers', '/v1/tags', '/v1/catalog.json', '/v1/index.json.gz', '/v1/index.json.gz.sha256', '/v1/problems', '/workers/cpu/PKGBUILD']) {
    assert.ok(urls.has(url), url);
  }
  assert.ok(snapshot.workers.size >= 5);
  for (const id of snapshot.workers.keys()) {
    for (const suffix of ['', '/PKGBUILD', '/clone-url']) assert.ok(urls.has(`/workers/${id}${suffix}`), `/workers/${id}${suffix}`);
    for (const suffix of ['', '/PKGBUILD', '/.SRCINFO', '/metadata.json', '/clone-url', '/versions', '/snapshot.tar.gz', '/problems']) {
      assert.ok(urls.has(`/v1/workers/${id}${suffix}`), `/v1/workers/${id}${suffix}`);
    }
  }
  assert.ok(urls.has(`/v1/workers/${BROKEN[0]}/problems`), 'a branch that is not served still has its report');
  assert.ok(!urls.has(`/v1/workers/${BROKEN[0]}`));

  // Every file on disk is in the manifest, and nothing else is there.
  assert.deepEqual(filesUnder(out), [...manifest.files.map((file) => file.file), '_headers', '_redirects', 'manifest.json'].sort());

  for (const file of manifest.files) {
    const bytes = readFileSync(path.join(out, file.file));
    const live = await app.inject(file.url);
    assert.equal(live.statusCode, 200, file.url);
    assert.ok(bytes.equals(live.rawPayload), `${file.file}: the same bytes as GET ${file.url}`);
    assert.equal(file.bytes, bytes.byteLength, file.url);
    assert.equal(file.sha256, sha256(bytes), file.url);
    assert.equal(typeof file.headers.etag === 'string' || file.url === '/openapi.json', true, `${file.url} has an ETag`);
    for (const name of EXPORTED_HEADERS) {
      // Whole-catalog answers are dated by when their index was built, which two processes never share.
      if (name === 'last-modified' && live.headers[name] === snapshot.builtAt.toUTCString()) continue;
      assert.equal(file.headers[name], live.headers[name], `${file.url}: ${name}`);
    }
  }

  // The dump's checksum file is the sha256sum line of the dump written beside it.
  const dump = readFileSync(path.join(out, 'v1/index.json.gz'));
  assert.equal(readFileSync(path.join(out, 'v1/index.json.gz.sha256'), 'utf8'), `${sha256(dump)}  index.json.gz\n`);

  // _redirects maps each live path onto its file; _headers names each one's ETag.
  const rewrites = new Map(readFileSync(path.join(out, '_redirects'), 'utf8').trim().split('\n').map((line) => {
    const [from, to, status] = line.split(' ');
    assert.equal(status, '200', line);
    return [from!, to!] as const;
  }));
  const headersFile = readFileSync(path.join(out, '_headers'), 'utf8');
  for (const file of manifest.files) {
    if (file.url !== `/${file.file}`) assert.equal(rewrites.get(file.url), `/${file.file}`, file.url);
    if (file.headers.etag !== undefined) assert.ok(headersFile.includes(`${file.url}\n  content-type: ${file.headers['content-type']}\n  etag: ${file.headers.etag}\n`), file.url);
  }
  assert.equal(rewrites.get('/workers'), '/workers.json');
  assert.equal(rewrites.get('/v1/workers/llm-worker-rbee-cpu'), '/v1/workers/llm-worker-rbee-cpu.json');
  assert.equal(rewrites.has('/v1/workers/llm-worker-rbee-cpu/PKGBUILD'), false, 'a file name is its own path');
});

test('the same catalog exports to the same bytes every time, the index dump included', async (t) => {
  const { fixture } = await liveService(t);
  const dir = await makeTempDir(t, 'rbee-export');
  const exportOnce = async (name: string): Promise<ExportManifest> => {
    const snapshot = await buildSnapshot({ repo: fixture.repo, gitUrl: TEST_GIT_URL });
    const app = await emptyApp(t, exportStore(snapshot), { history: gitWorkerHistory({ repo: fixture.repo }) });
    return exportStatic({ app, entries: staticExportPlan(snapshot), snapshotId: snapshot.id, outDir: path.join(dir, name), baseUrl: 'https://cdn.example.test/catalog/' });
  };
  const first = await exportOnce('a');
  const second = await exportOnce('b');
  assert.deepEqual(second.files.map((file) => [file.file, file.sha256]), first.files.map((file) => [file.file, file.sha256]));
  assert.ok(first.files.some((file) => file.file === 'v1/index.json.gz'));
  // --base-url's path prefixes the host rules.
  assert.match(readFileSync(path.join(dir, 'a', '_redirects'), 'utf8'), /^\/catalog\/workers \/catalog\/workers\.json 200$/m);
  assert.match(readFileSync(path.join(dir, 'a', '_headers'), 'utf8'), /^\/catalog\/v1\/workers\/llm-worker-rbee-cpu\/PKGBUILD$/m);
});

test('export-static: exit 2 for bad usage, a bad --base-url or a folder that is not empty; 1 for an unreadable repository', async (t) => {
  const dir = await makeTempDir(t, 'rbee-export');
  const noOut = await runScript('export-static', ['--cache-dir', dir]);
  assert.equal(noOut.code, 2);
  assert.match(noOut.stderr, /usage: npm run export-static/);
  assert.equal((await runScript('export-static', ['--bogus'])).code, 2);

  const badBase = await runScript('export-static', ['--out', path.join(dir, 'x'), '--base-url', 'ftp://cdn.example.test/', '--cache-dir', dir]);
  assert.equal(badBase.code, 2, badBase.stderr);
  assert.match(badBase.stderr, /--base-url/);
  assert.equal(existsSync(path.join(dir, 'x')), false, 'nothing is written before the configuration is valid');

  const full = path.join(dir, 'full');
  const keep = path.join(full, 'keep.txt');
  mkdirSync(full);
  writeFileSync(keep, 'mine');
  const notEmpty = await runScript('export-static', ['--out', full, '--cache-dir', path.join(dir, 'cache')]);
  assert.equal(notEmpty.code, 2, notEmpty.stderr);
  assert.match(notEmpty.stderr, /not empty/);
  assert.deepEqual(readdirSync(full), ['keep.txt']);

  const missing = await runScript('export-static', ['--out', path.join(dir, 'y'), '--repo', path.join(dir, 'nowhere'), '--cache-dir', dir]);
  assert.equal(missing.code, 1, missing.stderr);
  assert.match(missing.stderr, /NOT_A_REPOSITORY/);
});

test('exportFilePath refuses every path that could leave the export folder', () => {
  const out = path.resolve('/tmp/export-root');
  assert.equal(exportFilePath(out, 'v1/workers/a.b+c_d-e/.SRCINFO'), path.join(out, 'v1', 'workers', 'a.b+c_d-e', '.SRCINFO'));
  for (const bad of ['', '..', '../x', 'a/../../b', 'a/..', '/etc/passwd', 'a//b', 'a/./b', './a', 'a/', 'a\\..\\b', 'a\0b', 'C:/x', 'a b', 'x'.repeat(1025)]) {
    assert.throws(() => exportFilePath(out, bad), { code: 'UNSAFE_EXPORT_PATH' }, JSON.stringify(bad));
  }
});

test('exportStatic refuses two answers on one path, a file where a folder is needed, unsafe paths and failed answers, writing nothing', async (t) => {
  const { app, snapshot } = await liveService(t);
  const dir = await makeTempDir(t, 'rbee-export');
  const attempt = (name: string, entries: Array<{ url: string; file: string }>): Promise<ExportManifest> =>
    exportStatic({ app, entries, snapshotId: snapshot.id, outDir: path.join(dir, name) });
  await assert.rejects(attempt('same', [{ url: '/workers', file: 'w.json' }, { url: '/v1/workers', file: 'w.json' }]), { code: 'EXPORT_PATH_CONFLICT' });
  // Worker ids `x` and `x.json` would need v1/workers/x.json as a file and as a folder.
  await assert.rejects(attempt('folder', [{ url: '/workers', file: 'x.json' }, { url: '/workers/llm-worker-rbee-cpu/PKGBUILD', file: 'x.json/PKGBUILD' }]), { code: 'EXPORT_PATH_CONFLICT' });
  await assert.rejects(attempt('unsafe', [{ url: '/workers', file: '../escaped.json' }]), { code: 'UNSAFE_EXPORT_PATH' });
  for (const name of ['same', 'folder', 'unsafe']) assert.equal(existsSync(path.join(dir, name)), false, name);
  assert.equal(existsSync(path.join(path.dirname(dir), 'escaped.json')), false);
  await assert.rejects(attempt('missing', [{ url: '/workers/no-such-worker', file: 'gone.json' }]), { code: 'EXPORT_ANSWER_FAILED' });
});
