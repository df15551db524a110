// openCatalogRepository with an http(s) source: mirroring a real git
// smart-HTTP server (git http-backend) that native git pushes to.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdir, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { createServer, Socket, type Server } from 'node:net';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { GitHttpResponse, HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { ChildProcessError } from '../../src/childProcess/runInChildProcess.js';
import { cloneInChildProcess } from '../../src/git/cloneInChildProcess.js';
import { createRepositoryFromFolders } from '../../src/git/createRepositoryFromFolders.js';
import { FETCH_IN_PROGRESS_FILE } from '../../src/git/fetchMirror.js';
import { mirrorDirectoryName } from '../../src/git/mirrorDirectoryName.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { readBranchFiles } from '../../src/git/readBranchFiles.js';
import { remoteHttpClient } from '../../src/git/remoteHttpClient.js';
import { readRawRefs } from '../../src/git/readRawRefs.js';
import { readRepositoryRefs } from '../../src/git/readRepositoryRefs.js';
import type { CatalogRepository } from '../../src/git/types.js';
import { SMALL_CATALOG, writeFolderTree } from '../helpers/folderTree.js';
import { startGitHttpServer, type GitHttpServer, type GitHttpServerOptions } from '../helpers/gitHttpServer.js';
import { git, nativeBranches } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';
import { recordingLogger, type LogLine } from '../helpers/recordingLogger.js';

type ProxyMode = 'forward' | 'hang';

/** A TCP proxy in front of the git server that can start hanging (accept, never answer) at will. */
interface SwitchableProxy {
  readonly url: string;
  setMode(mode: ProxyMode): void;
  close(): Promise<void>;
}

async function startProxy(t: TestContext, targetPort: number): Promise<SwitchableProxy> {
  let mode: ProxyMode = 'forward';
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (mode === 'hang') return;
    const upstream = new Socket();
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.connect(targetPort, '127.0.0.1', () => {
      client.pipe(upstream);
      upstream.pipe(client);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no proxy address');
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  t.after(close);
  return {
    url: `http://127.0.0.1:${address.port}`,
    setMode(next) {
      mode = next;
      // Keep-alive connections opened while forwarding would otherwise bypass the new mode.
      for (const socket of sockets) socket.destroy();
    },
    close,
  };
}

interface Remote {
  readonly root: string;
  readonly server: GitHttpServer;
  /** The served bare repository on disk. */
  readonly gitdir: string;
  readonly url: string;
  readonly cacheDir: string;
}

/** A temp dir holding a served copy of SMALL_CATALOG and an empty cache folder. */
async function startRemote(t: TestContext, serverOptions: Omit<GitHttpServerOptions, 'root'> = {}): Promise<Remote> {
  const root = await makeTempDir(t, 'rbee-mirror');
  const sourceDir = path.join(root, 'folders');
  await writeFolderTree(sourceDir, SMALL_CATALOG);
  const served = path.join(root, 'served');
  const gitdir = path.join(served, 'catalog.git');
  await createRepositoryFromFolders({ sourceDir, gitdir });
  const server = await startGitHttpServer({ root: served, ...serverOptions });
  t.after(() => server.close());
  return { root, server, gitdir, url: server.urlFor('catalog.git'), cacheDir: path.join(root, 'cache') };
}

async function refLines(repo: CatalogRepository): Promise<string[]> {
  return (await readRepositoryRefs(repo)).branches.map((b) => `${b.name} ${b.oid}`);
}

/** Clones the remote with native git over HTTP, for pushing. */
async function workClone(remote: Remote): Promise<string> {
  const work = path.join(remote.root, `work-${Math.random().toString(16).slice(2)}`);
  await git(['clone', '--quiet', remote.url, work]);
  return work;
}

async function checkoutAndCommit(work: string, branch: string, file: string, content: string): Promise<string> {
  await git(['-C', work, 'checkout', '--quiet', branch]);
  return commitFile(work, file, content);
}

/** Commits one file on the branch checked out in `work`; resolves with the new commit. */
async function commitFile(work: string, file: string, content: string): Promise<string> {
  await writeFile(path.join(work, file), content);
  await git(['-C', work, 'add', file]);
  await git(['-C', work, 'commit', '--quiet', '-m', `change ${file}`]);
  return (await git(['-C', work, 'rev-parse', 'HEAD'])).trim();
}

test('clones every branch once into a hash-named mirror and records the default branch', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  const logger = recordingLogger();

  const repo = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir, logger });

  assert.equal(repo.kind, 'mirror');
  assert.equal(repo.refPrefix, 'refs/remotes/origin/');
  assert.equal(repo.url, remote.url);
  assert.equal(repo.gitdir, path.join(remote.cacheDir, mirrorDirectoryName(remote.url)));
  assert.deepEqual(await readdir(remote.cacheDir), [mirrorDirectoryName(remote.url)]);
  const refs = await readRepositoryRefs(repo);
  assert.equal(refs.defaultBranch, 'master');
  assert.deepEqual(await refLines(repo), await nativeBranches(remote.gitdir, 'refs/heads/'));
  assert.equal(refs.branches.length, 3);
  await git(['-C', repo.gitdir, 'fsck', '--strict', '--no-dangling']);
  const cpu = refs.branches.find((b) => b.name === 'llm-worker-rbee-cpu')!;
  const files = await readBranchFiles(repo, { commitOid: cpu.oid, names: ['PKGBUILD'] });
  assert.equal(Buffer.from(files.files.get('PKGBUILD')!).toString('utf8'), SMALL_CATALOG['llm-worker-rbee-cpu/PKGBUILD']);
  assert.ok(logger.lines.some((line) => line.level === 'info' && line.message === 'cloned the catalog mirror'));
});

test('reopening an unchanged remote costs one request and changes nothing', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  const first = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir });
  const before = await refLines(first);
  const requests = remote.server.requests;

  const second = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir });

  assert.equal(remote.server.requests - requests, 1);
  assert.equal(second.gitdir, first.gitdir);
  assert.deepEqual(await refLines(second), before);
});

test('a later open fetches what native git pushed: a moved branch, a new branch, a deleted branch', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  const repo = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir });
  const work = await workClone(remote);
  const moved = await checkoutAndCommit(work, 'llm-worker-rbee-cpu', 'PKGBUILD', 'pkgname=llm-worker-rbee-cpu\npkgver=0.2.0\n');
  await git(['-C', work, 'push', '--quiet', 'origin', 'llm-worker-rbee-cpu']);
  await git(['-C', work, 'checkout', '--quiet', '--orphan', 'new-worker']);
  await git(['-C', work, 'rm', '-r', '-f', '--quiet', '.']);
  const added = await commitFile(work, 'PKGBUILD', 'pkgname=new-worker\n');
  await git(['-C', work, 'push', '--quiet', 'origin', 'new-worker']);
  await git(['-C', work, 'push', '--quiet', 'origin', '--delete', 'sd-worker-rbee-cuda']);

  const again = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir, cache: repo.cache });

  const refs = await readRepositoryRefs(again);
  assert.deepEqual(refs.branches.map((b) => b.name), ['llm-worker-rbee-cpu', 'master', 'new-worker']);
  assert.equal(refs.branches.find((b) => b.name === 'llm-worker-rbee-cpu')?.oid, moved);
  assert.equal(refs.branches.find((b) => b.name === 'new-worker')?.oid, added);
  assert.equal(refs.defaultBranch, 'master');
  assert.deepEqual(await refLines(again), await nativeBranches(remote.gitdir, 'refs/heads/'));
  const files = await readBranchFiles(again, { commitOid: moved, names: ['PKGBUILD'] });
  assert.equal(Buffer.from(files.files.get('PKGBUILD')!).toString('utf8'), 'pkgname=llm-worker-rbee-cpu\npkgver=0.2.0\n');
  await git(['-C', again.gitdir, 'fsck', '--strict', '--no-dangling']);
});

test('a change of the remote default branch is seen after a fetch', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir });
  const work = await workClone(remote);
  await git(['-C', work, 'push', '--quiet', 'origin', 'master:main']);
  await git(['-C', remote.gitdir, 'symbolic-ref', 'HEAD', 'refs/heads/main']);

  const again = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir });

  assert.equal((await readRepositoryRefs(again)).defaultBranch, 'main');
});

test('credentials in the URL reach neither the disk nor repo.url', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  const withCredentials = remote.url.replace('http://', 'http://reader:hunter2@');

  const repo = await openCatalogRepository({ source: withCredentials, cacheDir: remote.cacheDir });

  assert.equal(repo.url, remote.url);
  assert.equal(repo.gitdir, path.join(remote.cacheDir, mirrorDirectoryName(remote.url)));
  const config = await readFile(path.join(repo.gitdir, 'config'), 'utf8');
  assert.ok(!config.includes('hunter2'), config);
  assert.ok(config.includes(remote.url), config);
  assert.equal((await readRepositoryRefs(repo)).branches.length, 3);
});

test('an unreachable remote with a mirror on disk: the stale mirror, and a warning', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  const proxy = await startProxy(t, new URL(remote.url).port === '' ? 80 : Number(new URL(remote.url).port));
  const source = `${proxy.url}/catalog.git`;
  const first = await openCatalogRepository({ source, cacheDir: remote.cacheDir });
  const before = await refLines(first);
  const work = await workClone(remote);
  await checkoutAndCommit(work, 'master', 'README.md', '# moved on\n');
  await git(['-C', work, 'push', '--quiet', 'origin', 'master']);
  await proxy.close();
  const logger = recordingLogger();

  const stale = await openCatalogRepository({ source, cacheDir: remote.cacheDir, logger });

  assert.equal(stale.gitdir, first.gitdir);
  assert.deepEqual(await refLines(stale), before);
  const warning = logger.lines.find((line) => line.level === 'warn');
  assert.equal(warning?.details.code, 'MIRROR_FETCH_FAILED');
  assert.equal(warning?.details.url, source);
});

test('an unreachable remote and no mirror: MIRROR_CLONE_FAILED naming the URL, nothing left behind', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  const proxy = await startProxy(t, 9);
  const source = `${proxy.url}/catalog.git`;
  await proxy.close();

  await assert.rejects(
    openCatalogRepository({ source, cacheDir: remote.cacheDir }),
    (error: Error & { code: string; data: { url: string; cause: string } }) =>
      error.code === 'MIRROR_CLONE_FAILED' && error.data.url === source && error.data.cause.startsWith('ECONNREFUSED'),
  );
  assert.deepEqual(await readdir(remote.cacheDir), []);
});

test('a remote whose HEAD does not resolve is refused before any ref is written', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  const repo = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir });
  const before = await refLines(repo);
  const work = await workClone(remote);
  await checkoutAndCommit(work, 'llm-worker-rbee-cpu', 'PKGBUILD', 'pkgname=moved\n');
  await git(['-C', work, 'push', '--quiet', 'origin', 'llm-worker-rbee-cpu']);
  await git(['-C', remote.gitdir, 'symbolic-ref', 'HEAD', 'refs/heads/gone']);
  const logger = recordingLogger();

  const stale = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir, logger });

  // isomorphic-git alone would have moved this ref to a commit it never downloaded.
  assert.deepEqual(await refLines(stale), before);
  await git(['-C', stale.gitdir, 'fsck', '--strict', '--no-dangling']);
  const warning = logger.lines.find((line) => line.level === 'warn');
  assert.match(String(warning?.details.cause), /^REMOTE_HEAD_UNRESOLVED/);

  const fresh = path.join(remote.root, 'fresh-cache');
  await assert.rejects(
    openCatalogRepository({ source: remote.url, cacheDir: fresh }),
    (error: Error & { code: string; cause: { code: string } }) => error.code === 'MIRROR_CLONE_FAILED' && error.cause.code === 'REMOTE_HEAD_UNRESOLVED',
  );
  assert.deepEqual(await readdir(fresh), []);
});

test('a fetch that breaks after isomorphic-git wrote the new refs has those writes undone', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  const repo = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir });
  const before = await refLines(repo);
  const work = await workClone(remote);
  const moved = await checkoutAndCommit(work, 'llm-worker-rbee-cpu', 'PKGBUILD', 'pkgname=moved\n');
  await git(['-C', work, 'push', '--quiet', 'origin', 'llm-worker-rbee-cpu']);
  // Pass the negotiation (isomorphic-git writes the refs right after it), then reset inside the pack.
  let cut = 0;
  const breaking: HttpClient = {
    async request(request) {
      const response = await nodeHttp.request(request);
      if (request.method !== 'POST' || response.body === undefined) return response;
      cut += 1;
      return { ...response, body: cutInsidePack(response.body) } satisfies GitHttpResponse;
    },
  };
  const logger = recordingLogger();

  const stale = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir, http: breaking, logger });

  assert.equal(cut, 1, 'precondition: the fetch reached the pack download');
  assert.deepEqual(await refLines(stale), before);
  await git(['-C', stale.gitdir, 'fsck', '--strict', '--no-dangling']);
  assert.equal(logger.lines.find((line) => line.level === 'warn')?.details.code, 'MIRROR_FETCH_FAILED');
  await assert.rejects(readFile(path.join(stale.gitdir, FETCH_IN_PROGRESS_FILE)), { code: 'ENOENT' });

  const healed = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir });
  assert.equal((await readRepositoryRefs(healed)).branches.find((b) => b.name === 'llm-worker-rbee-cpu')?.oid, moved);
  await git(['-C', healed.gitdir, 'fsck', '--strict', '--no-dangling']);
});

/** Passes the response through until the pack data begins, then fails as a reset connection would. */
async function* cutInsidePack(body: AsyncIterableIterator<Uint8Array>): AsyncIterableIterator<Uint8Array> {
  let seen = Buffer.alloc(0);
  for await (const chunk of body) {
    const before = seen.length;
    seen = Buffer.concat([seen, chunk]);
    const pack = seen.indexOf('PACK');
    if (pack !== -1) {
      yield chunk.subarray(0, Math.max(0, pack + 12 - before));
      throw Object.assign(new Error('connection reset by the test'), { code: 'ECONNRESET' });
    }
    yield chunk;
  }
}

test('refs left pointing at missing objects by a crashed fetch are restored on the next open', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  const proxy = await startProxy(t, Number(new URL(remote.url).port));
  const source = `${proxy.url}/catalog.git`;
  const repo = await openCatalogRepository({ source, cacheDir: remote.cacheDir });
  const before = await refLines(repo);
  const snapshot = await readRawRefs({ fs: repo.fs, gitdir: repo.gitdir, prefix: 'refs/remotes/origin/' });
  // What a crash between isomorphic-git's ref writes and its pack write leaves behind.
  await writeFile(path.join(repo.gitdir, FETCH_IN_PROGRESS_FILE), JSON.stringify([...snapshot]));
  await writeFile(path.join(repo.gitdir, 'refs/remotes/origin/llm-worker-rbee-cpu'), `${'f'.repeat(40)}\n`);
  await writeFile(path.join(repo.gitdir, 'refs/remotes/origin/ghost'), `${'e'.repeat(40)}\n`);
  await proxy.close();
  const logger = recordingLogger();

  const recovered = await openCatalogRepository({ source, cacheDir: remote.cacheDir, logger });

  assert.deepEqual(await refLines(recovered), before);
  await git(['-C', recovered.gitdir, 'fsck', '--strict', '--no-dangling']);
  assert.ok(logger.lines.some((line) => line.level === 'warn' && line.details.refsRestored === 2));
  await assert.rejects(readFile(path.join(recovered.gitdir, FETCH_IN_PROGRESS_FILE)), { code: 'ENOENT' });
});

test('a server that never answers: the clone fails within fetchTimeoutMs; a mirror on disk is served instead', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  const proxy = await startProxy(t, Number(new URL(remote.url).port));
  const source = `${proxy.url}/catalog.git`;
  const repo = await openCatalogRepository({ source, cacheDir: remote.cacheDir });
  const before = await refLines(repo);
  proxy.setMode('hang');

  let started = Date.now();
  const stale = await openCatalogRepository({ source, cacheDir: remote.cacheDir, fetchTimeoutMs: 500 });
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  assert.deepEqual(await refLines(stale), before);

  started = Date.now();
  await assert.rejects(
    openCatalogRepository({ source, cacheDir: path.join(remote.root, 'fresh-cache'), fetchTimeoutMs: 500 }),
    (error: Error & { code: string; cause: { code: string } }) => error.code === 'MIRROR_CLONE_FAILED' && error.cause.code === 'GIT_HTTP_TIMEOUT',
  );
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 450 && elapsed < 3000, `took ${elapsed} ms`);
});

test('concurrent opens of one URL make one mirror, cloned once', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);

  const repos = await Promise.all([1, 2, 3].map(() => openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir })));

  assert.deepEqual(new Set(repos.map((repo) => repo.gitdir)).size, 1);
  assert.deepEqual(await readdir(remote.cacheDir), [mirrorDirectoryName(remote.url)]);
  // One clone (info/refs check, info/refs, upload-pack) plus two no-op checks.
  assert.equal(remote.server.requests, 5);
  await git(['-C', repos[0]!.gitdir, 'fsck', '--strict', '--no-dangling']);
});

/** What a mirror holds, by native git: its refs (origin/HEAD included), its origin URL, and that fsck passes. */
async function mirrorContent(gitdir: string): Promise<string> {
  await git(['-C', gitdir, 'fsck', '--strict', '--no-dangling']);
  const refs = await git(['-C', gitdir, 'for-each-ref', '--format=%(refname) %(objectname) %(symref)']);
  const head = await git(['-C', gitdir, 'symbolic-ref', 'refs/remotes/origin/HEAD']);
  const origin = await git(['-C', gitdir, 'config', '--get', 'remote.origin.url']);
  return `${refs}${head}${origin}`;
}

function clonedLine(logger: { readonly lines: readonly LogLine[] }): LogLine | undefined {
  return logger.lines.find((line) => line.message === 'cloned the catalog mirror');
}

test('a clone in a child process makes the mirror a clone here makes', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  const here = recordingLogger();
  const child = recordingLogger();
  const http = { remoteUrl: remote.url, timeoutMs: 20_000 };

  const cloned = await openCatalogRepository({ source: remote.url, cacheDir: path.join(remote.root, 'here'), logger: here });
  const childCloned = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir, logger: child, childClone: { fromBranches: 3, http } });

  assert.equal(await mirrorContent(childCloned.gitdir), await mirrorContent(cloned.gitdir));
  assert.deepEqual(await refLines(childCloned), await nativeBranches(remote.gitdir, 'refs/heads/'));
  assert.deepEqual(await readdir(remote.cacheDir), [mirrorDirectoryName(remote.url)], 'no temporary folder is left');
  const peakRssMb = (clonedLine(child)?.details.childProcess as { peakRssMb: number } | undefined)?.peakRssMb;
  assert.ok(peakRssMb !== undefined && peakRssMb > 0, 'the child made the clone and said how much memory it took');
  assert.equal(clonedLine(here)?.details.childProcess, undefined);

  // One branch short of the threshold: the clone is made here.
  const below = recordingLogger();
  await openCatalogRepository({ source: remote.url, cacheDir: path.join(remote.root, 'below'), logger: below, childClone: { fromBranches: 4, http } });
  assert.ok(clonedLine(below) !== undefined);
  assert.equal(clonedLine(below)?.details.childProcess, undefined);
});

test('a private remote: the child clones with the configured token; without it, MIRROR_CLONE_FAILED and nothing left behind', { timeout: 30_000 }, async (t) => {
  const credentials = { username: 'x-access-token', password: 'child-clone-token-0123' };
  const remote = await startRemote(t, { basicAuth: credentials });
  const settings = { remoteUrl: remote.url, timeoutMs: 20_000, credentials };
  const http = remoteHttpClient(settings);

  const repo = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir, http, childClone: { fromBranches: 1, http: settings } });
  assert.deepEqual(await refLines(repo), await nativeBranches(remote.gitdir, 'refs/heads/'));
  assert.doesNotMatch(await readFile(path.join(repo.gitdir, 'config'), 'utf8'), new RegExp(credentials.password));

  // This process reads the remote's state with the token; a child that lacks it is refused by the server.
  const cacheDir = path.join(remote.root, 'no-token');
  await assert.rejects(
    openCatalogRepository({ source: remote.url, cacheDir, http, childClone: { fromBranches: 1, http: { remoteUrl: remote.url, timeoutMs: 20_000 } } }),
    (error: Error & { code?: string; data?: { cause: string } }) => error.code === 'MIRROR_CLONE_FAILED' && /401/.test(error.data!.cause),
  );
  assert.deepEqual(await readdir(cacheDir), []);
});

test('a child that dies without an answer leaves the clone to this process, with a warning', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  const logger = recordingLogger();
  const diesHalfway: typeof cloneInChildProcess = async (request) => {
    // What a child killed mid-clone leaves: part of the folder written.
    await mkdir(path.join(request.dir, 'objects', 'pack'), { recursive: true });
    await writeFile(path.join(request.dir, 'objects', 'pack', 'pack-partial.pack'), 'PACK');
    throw new ChildProcessError('cloning', false, 'exited without an answer (SIGKILL)');
  };

  const repo = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir, logger, childClone: { fromBranches: 1, http: { remoteUrl: remote.url, timeoutMs: 20_000 }, cloneInChild: diesHalfway } });

  assert.deepEqual(logger.lines.filter((line) => line.level === 'warn').map((line) => line.message), ['cloning in a child process failed; cloning here instead']);
  assert.deepEqual(await refLines(repo), await nativeBranches(remote.gitdir, 'refs/heads/'));
  assert.ok(!(await readdir(path.join(repo.gitdir, 'objects', 'pack'))).includes('pack-partial.pack'), 'the half-written folder was not reused');
  await git(['-C', repo.gitdir, 'fsck', '--strict', '--no-dangling']);
});

test('a damaged mirror is cloned again in a child process too', { timeout: 30_000 }, async (t) => {
  const remote = await startRemote(t);
  const first = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir });
  const packDir = path.join(first.gitdir, 'objects', 'pack');
  const pack = (await readdir(packDir)).find((name) => name.endsWith('.pack'))!;
  await truncate(path.join(packDir, pack), 100);
  let childClones = 0;
  const counted: typeof cloneInChildProcess = (request) => {
    childClones += 1;
    return cloneInChildProcess(request);
  };

  const repo = await openCatalogRepository({ source: remote.url, cacheDir: remote.cacheDir, childClone: { fromBranches: 1, http: { remoteUrl: remote.url, timeoutMs: 20_000 }, cloneInChild: counted } });

  assert.equal(childClones, 1);
  assert.deepEqual(await refLines(repo), await nativeBranches(remote.gitdir, 'refs/heads/'));
  await git(['-C', repo.gitdir, 'fsck', '--strict', '--no-dangling']);
});
