// Single-branch fetches over git protocol v2 against a real git smart-HTTP
// server, with native git pushing and native git checking the mirror after.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { fetchMirrorBranchV2 } from '../../src/git/fetchMirrorBranchV2.js';
import { defaultGitFs } from '../../src/git/gitFs.js';
import { silentGitLogger } from '../../src/git/gitLogger.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { readRef } from '../../src/git/readRef.js';
import { storePack } from '../../src/git/storePack.js';
import type { CatalogRepository } from '../../src/git/types.js';
import { lsRefsV2, supportsProtocolV2 } from '../../src/git/uploadPackV2.js';
import { remoteMirrorSync } from '../../src/refresh/mirrorSync.js';
import { buildSmallCatalog } from '../helpers/folderTree.js';
import { startGitHttpServer, type GitHttpServer } from '../helpers/gitHttpServer.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

interface Setup {
  readonly root: string;
  readonly server: GitHttpServer;
  readonly url: string;
  readonly repo: CatalogRepository;
  /** Commits a README change on `branch` with native git and pushes it; resolves with the new oid. */
  push(branch: string, text: string): Promise<string>;
  fetchBranch(branch: string, http?: HttpClient): ReturnType<typeof fetchMirrorBranchV2>;
}

async function setup(t: TestContext, options: { protocolV2?: boolean } = {}): Promise<Setup> {
  const root = await makeTempDir(t, 'rbee-v2');
  await buildSmallCatalog(path.join(root, 'served'));
  const server = await startGitHttpServer({ root: path.join(root, 'served'), ...options });
  t.after(() => server.close());
  const url = server.urlFor('catalog.git');
  const repo = await openCatalogRepository({ source: url, cacheDir: path.join(root, 'cache') });
  const work = path.join(root, 'work');
  await git(['clone', '--quiet', url, work]);
  return {
    root,
    server,
    url,
    repo,
    async push(branch, text) {
      await git(['-C', work, 'checkout', '--quiet', '-B', branch, `origin/${branch}`]).catch(() => git(['-C', work, 'checkout', '--quiet', '--orphan', branch]));
      writeFileSync(path.join(work, 'README.md'), text);
      await git(['-C', work, 'add', 'README.md']);
      await git(['-C', work, 'commit', '--quiet', '-m', text]);
      await git(['-C', work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
      await git(['-C', work, 'fetch', '--quiet', 'origin']);
      return (await git(['-C', work, 'rev-parse', 'HEAD'])).trim();
    },
    fetchBranch: (branch, http = nodeHttp) =>
      fetchMirrorBranchV2({ url, gitdir: repo.gitdir, fs: defaultGitFs, http, cache: repo.cache, logger: silentGitLogger, branch }),
  };
}

const mirrored = (repo: CatalogRepository, branch: string) => readRef({ fs: repo.fs, gitdir: repo.gitdir, ref: `refs/remotes/origin/${branch}` });

/** Native git's verdict on the mirror: every ref's history is complete and every object intact. */
async function assertMirrorIntact(repo: CatalogRepository): Promise<void> {
  await git(['--git-dir', repo.gitdir, 'fsck', '--no-dangling', '--no-progress']);
}

test('git http-backend speaks protocol v2 when asked; with the header dropped it does not', async (t) => {
  const modern = await setup(t);
  assert.equal(await supportsProtocolV2({ http: nodeHttp, url: modern.url }), true);
  const old = await setup(t, { protocolV2: false });
  assert.equal(await supportsProtocolV2({ http: nodeHttp, url: old.url }), false);
});

test('ls-refs lists the refs under a prefix, and only those', async (t) => {
  const { url, push } = await setup(t);
  const cpu = await push('llm-worker-rbee-cpu', 'cpu\n');
  const longer = await push('llm-worker-rbee-cpu-avx', 'avx\n');
  const refs = await lsRefsV2({ http: nodeHttp, url, prefixes: ['refs/heads/llm-worker-rbee-cpu'] });
  assert.deepEqual(Object.fromEntries(refs), { 'refs/heads/llm-worker-rbee-cpu': cpu, 'refs/heads/llm-worker-rbee-cpu-avx': longer });
});

test('a pushed commit costs two requests, moves only its ref, and leaves an intact mirror', async (t) => {
  const { repo, server, push, fetchBranch } = await setup(t);
  const other = await mirrored(repo, 'sd-worker-rbee-cuda');
  const oid = await push('llm-worker-rbee-cpu', 'new text\n');
  const before = server.requests;
  assert.deepEqual(await fetchBranch('llm-worker-rbee-cpu'), { oid, changed: true });
  assert.equal(server.requests - before, 2, 'ls-refs and fetch');
  assert.equal(await mirrored(repo, 'llm-worker-rbee-cpu'), oid);
  assert.equal(await mirrored(repo, 'sd-worker-rbee-cuda'), other);
  await assertMirrorIntact(repo);

  const again = server.requests;
  assert.deepEqual(await fetchBranch('llm-worker-rbee-cpu'), { oid, changed: false });
  assert.equal(server.requests - again, 1, 'an unchanged branch costs one ls-refs');
});

test('a rewound branch, a new branch and a deleted branch', async (t) => {
  const { repo, url, push, fetchBranch, root } = await setup(t);
  const first = await mirrored(repo, 'llm-worker-rbee-cpu');
  assert.ok(first);
  await push('llm-worker-rbee-cpu', 'later\n');
  await fetchBranch('llm-worker-rbee-cpu');
  // Force the branch back to a commit the mirror already holds: no objects travel.
  const scratch = path.join(root, 'scratch');
  await git(['clone', '--quiet', '--bare', url, scratch]);
  await git(['--git-dir', scratch, 'push', '--quiet', '--force', 'origin', `${first}:refs/heads/llm-worker-rbee-cpu`]);
  assert.deepEqual(await fetchBranch('llm-worker-rbee-cpu'), { oid: first, changed: true });

  const created = await push('sd-worker-rbee-rocm', 'a new branch\n');
  assert.deepEqual(await fetchBranch('sd-worker-rbee-rocm'), { oid: created, changed: true });
  await assertMirrorIntact(repo);

  await git(['--git-dir', scratch, 'push', '--quiet', 'origin', ':refs/heads/sd-worker-rbee-cuda']);
  assert.deepEqual(await fetchBranch('sd-worker-rbee-cuda'), { oid: undefined, changed: true });
  assert.equal(await mirrored(repo, 'sd-worker-rbee-cuda'), undefined);
  await assertMirrorIntact(repo);
});

test('a pack damaged in transit is refused and the ref stays where it was', async (t) => {
  const { repo, push, fetchBranch } = await setup(t);
  const before = await mirrored(repo, 'llm-worker-rbee-cpu');
  const packsBefore = await readdir(path.join(repo.gitdir, 'objects', 'pack'));
  await push('llm-worker-rbee-cpu', 'will arrive damaged\n');
  // The network, not the code under test, is faked: one byte of the fetch answer flips.
  const damaging: HttpClient = {
    async request(request) {
      const response = await nodeHttp.request(request);
      if (!request.url.endsWith('/git-upload-pack') || response.body === undefined) return response;
      const chunks: Uint8Array[] = [];
      for await (const chunk of response.body) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      if (body.includes('packfile\n')) body[body.length - 30] = body[body.length - 30]! ^ 0xff;
      return { ...response, body: [body][Symbol.iterator]() as unknown as AsyncIterableIterator<Uint8Array> };
    },
  };
  await assert.rejects(fetchBranch('llm-worker-rbee-cpu', damaging), (error: Error & { code?: string; cause?: { code?: string } }) => {
    assert.equal(error.code, 'MIRROR_FETCH_FAILED');
    assert.match(error.message, /checksum|pkt-line|side-band/);
    return true;
  });
  assert.equal(await mirrored(repo, 'llm-worker-rbee-cpu'), before);
  assert.deepEqual(await readdir(path.join(repo.gitdir, 'objects', 'pack')), packsBefore, 'nothing was written');
  await assertMirrorIntact(repo);
});

test('storePack refuses what is not a pack and skips an empty one', async (t) => {
  const gitdir = await makeTempDir(t, 'rbee-pack');
  await git(['init', '--quiet', '--bare', gitdir]);
  const store = (pack: Buffer) => storePack({ fs: defaultGitFs, gitdir, pack, cache: {} });
  await assert.rejects(store(Buffer.from('not a pack at all, but long enough')), { code: 'INVALID_PACK' });
  // An empty pack as git writes one: header (version 2, no objects), then the SHA-1 of the header.
  const header = Buffer.from('5041434b0000000200000000', 'hex');
  const empty = Buffer.concat([header, createHash('sha1').update(header).digest()]);
  assert.equal(await store(empty), 0);
  const damaged = Buffer.from(empty);
  damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 1;
  await assert.rejects(store(damaged), /checksum/);
  assert.deepEqual(await readdir(path.join(gitdir, 'objects', 'pack')), []);
});

test('a server without protocol v2 is fetched the v1 way, with the same result', async (t) => {
  const { repo, url, push } = await setup(t, { protocolV2: false });
  const sync = remoteMirrorSync({ repo, url, http: nodeHttp, logger: silentGitLogger });
  const oid = await push('llm-worker-rbee-cpu', 'over v1\n');
  assert.equal(await sync.branch('llm-worker-rbee-cpu'), oid);
  assert.equal(await mirrored(repo, 'llm-worker-rbee-cpu'), oid);
  await assertMirrorIntact(repo);
});
