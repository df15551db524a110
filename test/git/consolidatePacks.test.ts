// Pack pile-up: a mirror that took many single-branch fetches has its small
// packs merged into one, and stays complete and readable (native git fsck is
// the oracle; our own reader must still find every file after the merge).

import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import nodeHttp from 'isomorphic-git/http/node';
import { consolidatePacks } from '../../src/git/consolidatePacks.js';
import { defaultGitFs } from '../../src/git/gitFs.js';
import { silentGitLogger } from '../../src/git/gitLogger.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { readBranchFiles } from '../../src/git/readBranchFiles.js';
import { readRepositoryRefs } from '../../src/git/readRepositoryRefs.js';
import { remoteMirrorSync } from '../../src/refresh/mirrorSync.js';
import { buildSmallCatalog } from '../helpers/folderTree.js';
import { startGitHttpServer } from '../helpers/gitHttpServer.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

const packsIn = async (gitdir: string) => (await readdir(path.join(gitdir, 'objects', 'pack'))).filter((name) => name.endsWith('.idx')).length;

test('past the limit, the small packs of single-branch fetches are merged into one; the mirror stays complete', async (t) => {
  const root = await makeTempDir(t, 'rbee-packs');
  await buildSmallCatalog(path.join(root, 'served'));
  const server = await startGitHttpServer({ root: path.join(root, 'served') });
  t.after(() => server.close());
  const url = server.urlFor('catalog.git');
  const repo = await openCatalogRepository({ source: url, cacheDir: path.join(root, 'cache') });
  const sync = remoteMirrorSync({ repo, url, http: nodeHttp, logger: silentGitLogger, maxPacks: 4 });
  const work = path.join(root, 'work');
  await git(['clone', '--quiet', '-b', 'llm-worker-rbee-cpu', url, work]);

  const counts: number[] = [];
  for (let push = 1; push <= 8; push += 1) {
    writeFileSync(path.join(work, 'README.md'), `push ${push}\n`);
    await git(['-C', work, 'add', 'README.md']);
    await git(['-C', work, 'commit', '--quiet', '-m', `push ${push}`]);
    await git(['-C', work, 'push', '--quiet', 'origin', 'HEAD']);
    await sync.branch('llm-worker-rbee-cpu');
    counts.push(await packsIn(repo.gitdir));
  }
  assert.ok(Math.max(...counts) <= 4, `packs after each fetch: ${counts.join(', ')}`);
  assert.ok(counts.some((count, index) => index > 0 && count < counts[index - 1]!), `a merge happened: ${counts.join(', ')}`);

  await git(['--git-dir', repo.gitdir, 'fsck', '--no-dangling', '--no-progress']);
  // Memory: isomorphic-git's pack cache holds no index of a removed pack.
  const cacheKey = Object.getOwnPropertySymbols(repo.cache).find((symbol) => symbol.description === 'PackfileCache');
  assert.ok(cacheKey, 'isomorphic-git keeps its pack cache under Symbol(PackfileCache)');
  const cachedIndexes = [...((repo.cache as Record<symbol, Map<string, unknown>>)[cacheKey]!).keys()];
  assert.ok(cachedIndexes.length > 0);
  for (const file of cachedIndexes) assert.ok(existsSync(file), `the cache still holds a removed pack: ${file}`);
  // Our reader, whose pack cache was emptied by the merge, finds the latest files.
  const refs = await readRepositoryRefs(repo);
  const cpu = refs.branches.find((ref) => ref.name === 'llm-worker-rbee-cpu');
  assert.ok(cpu);
  const files = await readBranchFiles(repo, { commitOid: cpu.oid, names: ['README.md'] });
  assert.equal(Buffer.from(files.files.get('README.md')!).toString('utf8'), 'push 8\n');
});

test('under the limit nothing is touched; a .pack left without its .idx by a crash is removed', async (t) => {
  const gitdir = await makeTempDir(t, 'rbee-packs-few');
  await git(['init', '--quiet', '--bare', gitdir]);
  const orphan = path.join(gitdir, 'objects', 'pack', `pack-${'1'.repeat(40)}.pack`);
  writeFileSync(orphan, 'half written');
  assert.equal(await consolidatePacks({ fs: defaultGitFs, gitdir, cache: {}, maxPacks: 4 }), 0);
  assert.deepEqual(await readdir(path.join(gitdir, 'objects', 'pack')), []);
});

test('packs that share objects cannot be merged by copying and are re-packed instead', async (t) => {
  const root = await makeTempDir(t, 'rbee-packs-shared');
  const { gitdir } = await buildSmallCatalog(root);
  await git(['--git-dir', gitdir, 'repack', '-q']);
  // The same objects packed again, without deltas: a second pack, different bytes, same objects.
  const objects = (await git(['--git-dir', gitdir, 'rev-list', '--objects', '--all'])).trim().split('\n').map((line) => line.split(' ')[0]).join('\n');
  await git(['--git-dir', gitdir, 'pack-objects', '-q', '--window=0', path.join(gitdir, 'objects', 'pack', 'pack')], { input: `${objects}\n` });
  writeFileSync(path.join(gitdir, 'objects', 'pack', '.pack-left-over.idx.tmp'), 'crash');
  assert.ok((await packsIn(gitdir)) >= 2);
  assert.ok((await consolidatePacks({ fs: defaultGitFs, gitdir, cache: {}, maxPacks: 1 })) >= 1);
  assert.equal(await packsIn(gitdir), 2, 'the largest pack and the re-packed one');
  assert.ok(!(await readdir(path.join(gitdir, 'objects', 'pack'))).some((name) => name.endsWith('.tmp')));
  await git(['--git-dir', gitdir, 'fsck', '--no-dangling', '--no-progress']);
});
