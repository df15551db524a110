import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { CatalogStore } from '../../src/catalog/catalogStore.js';
import { pinnedCloneInfo } from '../../src/catalog/pinnedClone.js';
import { catalogApp, catalogWorkerIds, emptyApp, fixtureRepository, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { expectErrors } from '../helpers/expectErrors.js';
import { fixtureFile } from '../helpers/fixtureFiles.js';
import { startGitHttpServer } from '../helpers/gitHttpServer.js';
import { openApiValidator } from '../helpers/openApiValidator.js';
import { git, TEST_GIT_ENV } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

interface Clone { git_url: string; branch: string; commit: string; clone_command: string }

/** Runs a command line as a user pasting it would: in a POSIX shell, with git's environment pinned. */
function shell(command: string, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', command], { cwd, env: TEST_GIT_ENV, timeout: 30_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${stderr || error.message}`));
      else resolve();
    });
  });
}

/** The fixture catalog served over loopback smart HTTP, and an app advertising that URL. */
async function servedOverHttp(t: TestContext) {
  const fixture = await fixtureRepository(t);
  const server = await startGitHttpServer({ root: path.dirname(fixture.gitdir) });
  t.after(() => server.close());
  const gitUrl = server.urlFor(path.basename(fixture.gitdir));
  const store = new CatalogStore();
  store.swap(await buildSnapshot({ repo: fixture.repo, gitUrl }));
  const app = await emptyApp(t, store);
  return { fixture, gitUrl, store, app };
}

test('GET /v1/workers/:id/clone-url answers the URL, branch, served commit and a pinned command', async (t) => {
  const { app, snapshot } = await catalogApp(t);
  for (const id of catalogWorkerIds()) {
    const response = await app.inject(`/v1/workers/${id}/clone-url`);
    assert.equal(response.statusCode, 200, id);
    assert.match(response.headers['content-type'] as string, /^application\/json/);
    const body = response.json() as Clone;
    const commit = snapshot.workers.get(id)?.record.commit;
    assert.equal(body.commit, snapshot.branches.get(id)?.oid);
    assert.deepEqual(body, {
      git_url: TEST_GIT_URL,
      branch: id,
      commit: commit?.oid,
      clone_command: `git clone --single-branch --no-checkout -b ${id} ${TEST_GIT_URL} ${id} && git -C ${id} checkout --quiet --detach ${commit?.oid}`,
    });
    assert.equal(response.headers['last-modified'], new Date((commit?.time ?? 0) * 1000).toUTCString());
    assert.ok((response.headers.etag as string).startsWith(`"${commit?.oid}.`), 'the ETag names the commit');
  }
});

test('clone-url answers what /openapi.json documents', async (t) => {
  const { app } = await catalogApp(t);
  const problems = await openApiValidator(app);
  const body = (await app.inject('/v1/workers/llm-worker-rbee-rocm/clone-url')).json() as Clone;
  assert.deepEqual(problems('/v1/workers/{id}/clone-url', 200, body), []);
  assert.notDeepEqual(problems('/v1/workers/{id}/clone-url', 200, { ...body, extra: 1 }), [], 'the validator can fail');
  assert.deepEqual(problems('/v1/workers/{id}/clone-url', 404, (await app.inject('/v1/workers/nope/clone-url')).json()), []);
});

test('every word of the command is shell-quoted when it needs to be', () => {
  const info = pinnedCloneInfo({ gitUrl: "https://example.test/it's a repo.git", branch: 'w', commit: 'a'.repeat(40) });
  assert.equal(info.clone_command, `git clone --single-branch --no-checkout -b w 'https://example.test/it'\\''s a repo.git' w && git -C w checkout --quiet --detach ${'a'.repeat(40)}`);
});

test('clone-url: 304 for If-None-Match and If-Modified-Since; 400 bad id; 404 unknown', async (t) => {
  const { app } = await catalogApp(t);
  const url = '/v1/workers/sd-worker-rbee-metal/clone-url';
  const first = await app.inject(url);
  const etag = first.headers.etag as string;
  for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
    assert.equal((await app.inject({ url, headers: { 'if-none-match': header } })).statusCode, 304, header);
  }
  assert.equal((await app.inject({ url, headers: { 'if-none-match': '"other"' } })).statusCode, 200);
  assert.equal((await app.inject({ url, headers: { 'if-modified-since': first.headers['last-modified'] as string } })).statusCode, 304);
  assert.equal((await app.inject({ url, headers: { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' } })).statusCode, 200);
  assert.notEqual((await app.inject('/v1/workers/sd-worker-rbee-cpu/clone-url')).headers.etag, etag);

  await expectErrors(app, [
    ['/v1/workers/Bad_Id!/clone-url', 400, 'INVALID_WORKER_ID'],
    [`/v1/workers/${'x'.repeat(101)}/clone-url`, 400, 'INVALID_WORKER_ID'],
    ['/v1/workers/no-such-worker/clone-url', 404, 'WORKER_NOT_FOUND'],
  ]);
});

test('the clone command, run with native git over smart HTTP, checks out the advertised commit and only its branch', async (t) => {
  const { app, gitUrl } = await servedOverHttp(t);
  const body = (await app.inject('/v1/workers/llm-worker-rbee-cuda/clone-url')).json() as Clone;
  assert.equal(body.git_url, gitUrl);
  const cwd = await makeTempDir(t, 'rbee-clone');
  await shell(body.clone_command, cwd);
  const dir = path.join(cwd, 'llm-worker-rbee-cuda');
  assert.equal((await git(['-C', dir, 'rev-parse', 'HEAD'])).trim(), body.commit);
  assert.equal((await git(['-C', dir, 'status', '--porcelain'])).trim(), '', 'the work tree is the commit, unchanged');
  for (const file of ['PKGBUILD', '.SRCINFO', 'metadata.json']) {
    assert.deepEqual(readFileSync(path.join(dir, file)), fixtureFile('llm-worker-rbee-cuda', file), file);
  }
  assert.deepEqual((await git(['-C', dir, 'branch', '-r', '--format=%(refname:short)'])).trim().split('\n'), ['origin/llm-worker-rbee-cuda']);
});

test('after a rejected push the command checks out the last good commit, not the branch tip', async (t) => {
  const { app, fixture, gitUrl, store } = await servedOverHttp(t);
  const id = 'llm-worker-rbee-cpu';
  const good = store.current?.workers.get(id)?.record.commit.oid;
  const work = path.join(await makeTempDir(t, 'rbee-clone-push'), 'work');
  await git(['clone', '--quiet', '-b', id, fixture.gitdir, work]);
  writeFileSync(path.join(work, 'metadata.json'), '{"broken": ');
  await git(['-C', work, 'commit', '--quiet', '-am', 'break metadata.json']);
  await git(['-C', work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${id}`]);
  const tip = (await git(['-C', work, 'rev-parse', 'HEAD'])).trim();
  store.swap(await buildSnapshot({ repo: fixture.repo, gitUrl, previous: store.current }));
  assert.equal(store.current?.branches.get(id)?.rejected?.oid, tip, 'the new tip is rejected');

  const body = (await app.inject(`/v1/workers/${id}/clone-url`)).json() as Clone;
  assert.equal(body.commit, good);
  assert.notEqual(body.commit, tip);
  const cwd = await makeTempDir(t, 'rbee-clone');
  await shell(body.clone_command, cwd);
  assert.equal((await git(['-C', path.join(cwd, id), 'rev-parse', 'HEAD'])).trim(), good);
  assert.deepEqual(readFileSync(path.join(cwd, id, 'metadata.json')), fixtureFile(id, 'metadata.json'));
});
