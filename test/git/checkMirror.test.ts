// checkMirror and the recovery openCatalogRepository builds on it: a mirror
// cloned from a real git smart-HTTP server is damaged the ways a SIGKILL
// mid-fetch can damage it (a truncated index, a truncated pack, a ref at an
// object that never arrived, a ref file cut short); checkMirror names each,
// and opening the mirror again re-clones it to the remote's exact tips
// (native git is the oracle) — or, with the remote gone, refuses to serve it.

import assert from 'node:assert/strict';
import nodeFs from 'node:fs';
import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { checkMirror } from '../../src/git/checkMirror.js';
import type { GitLogger } from '../../src/git/gitLogger.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { readRawRefs } from '../../src/git/readRawRefs.js';
import type { CatalogRepository } from '../../src/git/types.js';
import { buildSmallCatalog } from '../helpers/folderTree.js';
import { startGitHttpServer, type GitHttpServer } from '../helpers/gitHttpServer.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

interface Setup {
  readonly server: GitHttpServer;
  readonly url: string;
  readonly remote: string;
  readonly cacheDir: string;
  readonly repo: CatalogRepository;
  readonly warnings: Array<Record<string, unknown>>;
  readonly logger: GitLogger;
}

async function cloned(t: TestContext): Promise<Setup> {
  const root = await makeTempDir(t, 'rbee-check-mirror');
  const { gitdir: remote } = await buildSmallCatalog(root);
  const server = await startGitHttpServer({ root });
  t.after(() => server.close());
  const url = server.urlFor('catalog.git');
  const cacheDir = path.join(root, 'cache');
  const warnings: Array<Record<string, unknown>> = [];
  const ignore = (): void => undefined;
  const logger: GitLogger = { debug: ignore, info: ignore, error: ignore, warn: (details) => void warnings.push(details) };
  const repo = await openCatalogRepository({ source: url, cacheDir, logger });
  return { server, url, remote, cacheDir, repo, warnings, logger };
}

/** The remote's branches as native git lists them: name → oid. */
async function remoteTips(remote: string): Promise<Map<string, string>> {
  const out = await git(['--git-dir', remote, 'for-each-ref', '--format=%(refname:lstrip=2) %(objectname)', 'refs/heads/']);
  return new Map(out.trim().split('\n').map((line) => line.split(' ') as [string, string]));
}

async function mirrorTips(repo: CatalogRepository): Promise<Map<string, string>> {
  const refs = await readRawRefs({ fs: repo.fs, gitdir: repo.gitdir, prefix: 'refs/remotes/origin/' });
  refs.delete('refs/remotes/origin/HEAD');
  return new Map([...refs].map(([ref, oid]) => [ref.slice('refs/remotes/origin/'.length), oid]));
}

async function packFile(repo: CatalogRepository, ext: '.idx' | '.pack'): Promise<string> {
  const folder = path.join(repo.gitdir, 'objects', 'pack');
  const names = (await readdir(folder)).filter((name) => name.endsWith(ext));
  assert.equal(names.length, 1, `one ${ext} after a clone`);
  return path.join(folder, names[0]!);
}

const check = (repo: CatalogRepository) => checkMirror({ fs: nodeFs, gitdir: repo.gitdir, cache: {} });

const damages: ReadonlyArray<{ readonly name: string; readonly code: string; damage(repo: CatalogRepository): Promise<void> }> = [
  {
    name: 'a truncated index',
    code: 'PACK_INDEX_INVALID',
    damage: async (repo) => {
      const idx = await packFile(repo, '.idx');
      await truncate(idx, Math.floor((await readFile(idx)).length / 2));
    },
  },
  {
    name: 'an index whose last bytes were never written',
    code: 'PACK_INDEX_INVALID',
    damage: async (repo) => {
      const idx = await packFile(repo, '.idx');
      await truncate(idx, (await readFile(idx)).length - 7);
    },
  },
  {
    name: 'a truncated pack',
    code: 'PACK_INVALID',
    damage: async (repo) => {
      const pack = await packFile(repo, '.pack');
      await truncate(pack, (await readFile(pack)).length - 100);
    },
  },
  {
    name: 'a pack with one flipped byte',
    code: 'PACK_INVALID',
    damage: async (repo) => {
      const pack = await packFile(repo, '.pack');
      const bytes = await readFile(pack);
      bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
      await writeFile(pack, bytes);
    },
  },
  {
    name: 'an index without its pack',
    code: 'PACK_MISSING',
    damage: async (repo) => nodeFs.promises.unlink(await packFile(repo, '.pack')),
  },
  {
    name: 'a ref pointing at a missing object',
    code: 'TIP_UNREADABLE',
    damage: (repo) => writeFile(path.join(repo.gitdir, 'refs/remotes/origin/llm-worker-rbee-cpu'), `${'ab'.repeat(20)}\n`),
  },
  {
    name: 'a ref file cut short while being written',
    code: 'REF_INVALID',
    damage: (repo) => writeFile(path.join(repo.gitdir, 'refs/remotes/origin/sd-worker-rbee-cuda'), ''),
  },
];

test('a freshly cloned mirror passes', { timeout: 30_000 }, async (t) => {
  const { repo } = await cloned(t);
  assert.equal(await check(repo), undefined);
});

for (const { name, code, damage } of damages) {
  test(`${name} is ${code}, and opening the mirror again re-clones it to the remote's tips`, { timeout: 30_000 }, async (t) => {
    const setup = await cloned(t);
    await damage(setup.repo);
    const found = await check(setup.repo);
    assert.equal(found?.code, code, JSON.stringify(found));

    const reopened = await openCatalogRepository({ source: setup.url, cacheDir: setup.cacheDir, logger: setup.logger });
    assert.equal(setup.warnings.length, 1, 'the damage is logged once, as a warning');
    assert.equal(setup.warnings[0]!.code, code);
    assert.equal(reopened.gitdir, setup.repo.gitdir);
    assert.deepEqual(await mirrorTips(reopened), await remoteTips(setup.remote));
    assert.equal(await check(reopened), undefined);
    // Native git agrees the new mirror is whole.
    await git(['--git-dir', reopened.gitdir, 'fsck', '--no-dangling']);
  });
}

test('a damaged mirror whose remote is unreachable is not served: MIRROR_DAMAGED', { timeout: 30_000 }, async (t) => {
  const setup = await cloned(t);
  await damages[0]!.damage(setup.repo);
  await setup.server.close();
  await assert.rejects(
    openCatalogRepository({ source: setup.url, cacheDir: setup.cacheDir, logger: setup.logger, fetchTimeoutMs: 2000 }),
    (error: Error & { code?: string; data?: { damage: string } }) => {
      assert.equal(error.code, 'MIRROR_DAMAGED');
      assert.match(error.data!.damage, /^PACK_INDEX_INVALID /);
      return true;
    },
  );
});

test('an undamaged mirror whose remote is unreachable is still served (stale beats none)', { timeout: 30_000 }, async (t) => {
  const setup = await cloned(t);
  const before = await mirrorTips(setup.repo);
  await setup.server.close();
  const reopened = await openCatalogRepository({ source: setup.url, cacheDir: setup.cacheDir, logger: setup.logger, fetchTimeoutMs: 2000 });
  assert.deepEqual(await mirrorTips(reopened), before);
  assert.equal(setup.warnings.length, 1);
  assert.equal(setup.warnings[0]!.code, 'MIRROR_FETCH_FAILED');
});
