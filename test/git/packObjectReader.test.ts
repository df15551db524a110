// packObjectReader: every object native git packed (whole, offset deltas, ref
// deltas) reads back as `git cat-file` prints it; what it cannot vouch for
// (loose objects, unknown oids, damaged entries) it declines instead of
// guessing; and readBranchFiles gives the same answer with it as without.

import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { openPackObjectReader } from '../../src/git/packObjectReader.js';
import { MAX_TREE_ENTRIES, readBranchFiles } from '../../src/git/readBranchFiles.js';
import { writeFolderTree } from '../helpers/folderTree.js';
import { git } from '../helpers/nativeGit.js';
import { DATED, deltaHistoryRepository, nativeObjects } from '../helpers/packedRepository.js';
import { makeTempDir } from '../helpers/tempDir.js';

/** How many packed objects are stored as deltas, from `git verify-pack -v`. */
async function deltaCount(gitdir: string): Promise<number> {
  const packDir = path.join(gitdir, 'objects', 'pack');
  const { readdir } = await import('node:fs/promises');
  const idx = (await readdir(packDir)).filter((name) => name.endsWith('.idx'));
  let deltas = 0;
  for (const name of idx) {
    const lines = (await git(['verify-pack', '-v', path.join(packDir, name)])).split('\n');
    // Delta lines carry two more fields: depth and base oid.
    deltas += lines.filter((line) => /^[0-9a-f]{40} \w+ +\d+ \d+ \d+ \d+ [0-9a-f]{40}$/.test(line)).length;
  }
  return deltas;
}

for (const variant of [
  { name: 'offset deltas', config: [] as string[] },
  { name: 'ref deltas', config: ['-c', 'repack.useDeltaBaseOffset=false'] },
]) {
  test(`every object of a repacked repository reads as git cat-file prints it (${variant.name})`, { timeout: 60_000 }, async (t) => {
    const gitdir = await deltaHistoryRepository(await makeTempDir(t, 'rbee-pack'));
    await git(['--git-dir', gitdir, ...variant.config, 'repack', '-a', '-d', '-f', '--depth=20', '--window=50', '--quiet']);
    assert.ok(await deltaCount(gitdir) > 20, 'the repack wrote delta chains');
    const native = await nativeObjects(gitdir);
    const reader = await openPackObjectReader({ fs: (await import('node:fs')).default, gitdir });

    for (const [oid, expected] of native) {
      const object = reader.read(oid);
      assert.ok(object !== undefined, `${oid} is served`);
      assert.equal(object.type, expected.type, oid);
      assert.ok(object.bytes.equals(expected.bytes), `${oid} has git's bytes`);
    }
  });
}

test('loose objects, unknown and malformed oids are declined, not guessed', { timeout: 60_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-pack');
  const gitdir = await deltaHistoryRepository(root);
  await git(['--git-dir', gitdir, 'repack', '-a', '-d', '--quiet']);
  const loosePath = path.join(root, 'loose.txt');
  await writeFile(loosePath, 'only loose\n');
  const loose = (await git(['--git-dir', gitdir, 'hash-object', '-w', loosePath])).trim();
  const reader = await openPackObjectReader({ fs: (await import('node:fs')).default, gitdir });
  const head = (await git(['--git-dir', gitdir, 'rev-parse', 'HEAD'])).trim();

  assert.equal(reader.read(head)?.type, 'commit');
  assert.equal(reader.read(loose), undefined);
  assert.equal(reader.read('0'.repeat(40)), undefined);
  assert.equal(reader.read(head.toUpperCase()), undefined);
  assert.equal(reader.read('../../etc/passwd'), undefined);
});

test('a damaged pack entry is declined rather than served with wrong bytes', { timeout: 60_000 }, async (t) => {
  const gitdir = await deltaHistoryRepository(await makeTempDir(t, 'rbee-pack'));
  await git(['--git-dir', gitdir, 'repack', '-a', '-d', '-f', '--quiet']);
  const packDir = path.join(gitdir, 'objects', 'pack');
  const { readdir } = await import('node:fs/promises');
  const idx = (await readdir(packDir)).find((name) => name.endsWith('.idx'))!;
  // `oid type size size-in-pack offset`: damage the middle of the largest whole blob.
  const entries = (await git(['verify-pack', '-v', path.join(packDir, idx)])).split('\n')
    .map((line) => line.split(/\s+/))
    .filter((fields) => fields.length === 5 && fields[1] === 'blob')
    .sort((a, b) => Number(b[3]) - Number(a[3]));
  const [oid, , , inPack, offset] = entries[0]!;
  const packPath = path.join(packDir, idx.replace(/\.idx$/, '.pack'));
  const pack = await readFile(packPath);
  const damaged = Number(offset) + Math.floor(Number(inPack) / 2);
  pack[damaged] = pack[damaged]! ^ 0xff;
  await writeFile(packPath, pack);

  const reader = await openPackObjectReader({ fs: (await import('node:fs')).default, gitdir });
  assert.equal(reader.read(oid!), undefined);
});

test('readBranchFiles answers the same with the pack reader as through isomorphic-git', { timeout: 120_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-pack');
  const gitdir = await deltaHistoryRepository(root);
  const work = path.dirname(gitdir);
  // A submodule entry, a symlink and more entries than the listing keeps, on one more commit.
  const many = Object.fromEntries(Array.from({ length: MAX_TREE_ENTRIES + 5 }, (_, index) => [`LICENSES/f${String(index).padStart(3, '0')}.txt`, `${index}\n`]));
  await writeFolderTree(work, many);
  const { symlink } = await import('node:fs/promises');
  await symlink('PKGBUILD', path.join(work, 'link'));
  await git(['-C', work, 'add', '.']);
  await git(['-C', work, 'update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},vendor`]);
  await git(['-C', work, 'commit', '--quiet', '-m', 'big'], { env: DATED });
  await git(['--git-dir', gitdir, 'repack', '-a', '-d', '-f', '--quiet']);

  const repo = await openCatalogRepository({ source: work, cacheDir: path.join(root, 'cache') });
  const reader = await openPackObjectReader(repo);
  let declined = 0;
  let served = 0;
  // Counts, so the test knows the fast path answered rather than fell back.
  const objects = { read: (oid: string) => {
    const object = reader.read(oid);
    if (object === undefined) declined += 1;
    else served += 1;
    return object;
  } };
  const commits = (await git(['--git-dir', gitdir, 'rev-list', '--all'])).trim().split('\n');
  assert.ok(commits.length > 30);
  const names = ['PKGBUILD', 'README.md', 'a', 'link', 'vendor', 'é-unicode.txt', 'missing'];
  let truncated = 0;
  for (const commitOid of commits) {
    const fast = await readBranchFiles(repo, { commitOid, names, objects });
    const slow = await readBranchFiles(repo, { commitOid, names });
    assert.deepEqual(fast, slow, commitOid);
    if (fast.treeTruncated) truncated += 1;
  }
  assert.equal(truncated, 1, 'the big commit was listed up to the bound');
  assert.equal(declined, 0);
  assert.ok(served > commits.length * 5);
});

test('a tree isomorphic-git refuses fails the same way with the pack reader', { timeout: 60_000 }, async (t) => {
  const root = await makeTempDir(t, 'rbee-pack');
  const gitdir = path.join(root, 'bare.git');
  await git(['init', '--quiet', '--bare', gitdir]);
  const blobPath = path.join(root, 'blob');
  await writeFile(blobPath, 'x\n');
  const blob = (await git(['--git-dir', gitdir, 'hash-object', '-w', blobPath])).trim();
  // `.GIT` is git's own folder on a case-insensitive disk: verify_path refuses it.
  const tree = (await git(['--git-dir', gitdir, 'mktree'], { input: `100644 blob ${blob}\t.GIT\n100644 blob ${blob}\tPKGBUILD\n` })).trim();
  const commit = (await git(['--git-dir', gitdir, 'commit-tree', tree, '-m', 'unsafe'], { env: DATED })).trim();
  await git(['--git-dir', gitdir, 'update-ref', 'refs/heads/unsafe', commit]);
  await git(['--git-dir', gitdir, 'repack', '-a', '-d', '--quiet']);

  const repo = await openCatalogRepository({ source: gitdir, cacheDir: path.join(root, 'cache') });
  const objects = await openPackObjectReader(repo);
  assert.equal(objects.read(tree)?.type, 'tree', 'the tree itself is packed and readable');
  const slow = await readBranchFiles(repo, { commitOid: commit, names: ['PKGBUILD'] }).then(() => 'read', (error: { code?: string }) => error.code);
  const fast = await readBranchFiles(repo, { commitOid: commit, names: ['PKGBUILD'], objects }).then(() => 'read', (error: { code?: string }) => error.code);
  assert.equal(slow, 'UnsafeFilepathError');
  assert.equal(fast, slow);
});
