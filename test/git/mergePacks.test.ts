// mergePacks against native git: packs written by git are merged by copying,
// and `git verify-pack` (every object re-hashed, every CRC and offset
// checked) and `git fsck` accept the result.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { mergePacks, readPackIndex } from '../../src/git/mergePacks.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

/** A bare repository with `packs` packs, each from one push of similar large files (so git stores deltas). */
async function repositoryWithPacks(root: string, packs: number): Promise<string> {
  const gitdir = path.join(root, 'repo.git');
  const work = path.join(root, 'work');
  await git(['init', '--quiet', '--bare', gitdir]);
  await git(['init', '--quiet', work]);
  const lines = Array.from({ length: 400 }, (_, index) => `line ${index} of a file large enough to be stored as a delta\n`);
  for (let round = 0; round < packs; round += 1) {
    lines[round * 7] = `changed in round ${round}\n`;
    writeFileSync(path.join(work, 'a.txt'), lines.join(''));
    writeFileSync(path.join(work, 'b.txt'), [...lines, `b ${round}\n`].join(''));
    await git(['-C', work, 'add', '.']);
    await git(['-C', work, 'commit', '--quiet', '-m', `round ${round}`]);
    await git(['-C', work, 'push', '--quiet', gitdir, 'HEAD:refs/heads/main']);
    // Packs only the loose objects of this push: one new pack per round.
    await git(['--git-dir', gitdir, 'repack', '-q', '-d']);
  }
  return gitdir;
}

async function packFiles(gitdir: string): Promise<Array<{ name: string; pack: Buffer; idx: Buffer }>> {
  const dir = path.join(gitdir, 'objects', 'pack');
  const names = (await readdir(dir)).filter((name) => name.endsWith('.pack')).map((name) => name.slice(0, -5));
  return Promise.all(names.map(async (name) => ({ name, pack: await readFile(path.join(dir, `${name}.pack`)), idx: await readFile(path.join(dir, `${name}.idx`)) })));
}

test('packs merged by copying pass git verify-pack and fsck, deltas included', async (t) => {
  const root = await makeTempDir(t, 'rbee-merge');
  const gitdir = await repositoryWithPacks(root, 4);
  const packs = await packFiles(gitdir);
  assert.equal(packs.length, 4);
  const expected = packs.flatMap(({ idx }) => readPackIndex(idx).map((entry) => entry.oid.toString('hex'))).sort();

  const merged = mergePacks(packs);
  const dir = path.join(gitdir, 'objects', 'pack');
  for (const { name } of packs) {
    await rm(path.join(dir, `${name}.pack`));
    await rm(path.join(dir, `${name}.idx`));
  }
  const name = `pack-${merged.pack.subarray(merged.pack.length - 20).toString('hex')}`;
  await writeFile(path.join(dir, `${name}.pack`), merged.pack);
  await writeFile(path.join(dir, `${name}.idx`), merged.idx);

  const verified = await git(['verify-pack', '-v', path.join(dir, `${name}.idx`)]);
  assert.match(verified, /chain length = 1/, 'the merged pack still holds deltas');
  assert.deepEqual(readPackIndex(merged.idx).map((entry) => entry.oid.toString('hex')), expected);
  await git(['--git-dir', gitdir, 'fsck', '--no-dangling', '--no-progress']);
  assert.equal((await git(['--git-dir', gitdir, 'show', 'main:a.txt'])).split('\n')[21], 'changed in round 3');
});

test('what cannot be merged by copying is refused with a stable code', async (t) => {
  const root = await makeTempDir(t, 'rbee-merge-bad');
  const gitdir = await repositoryWithPacks(root, 2);
  const [first, second] = await packFiles(gitdir);
  assert.ok(first && second);
  const refused = { code: 'PACK_MERGE_FAILED' };
  assert.throws(() => mergePacks([first, first]), refused, 'one object in two packs');
  assert.throws(() => mergePacks([{ pack: first.pack, idx: second.idx }]), refused, 'an index of another pack');
  assert.throws(() => mergePacks([{ pack: Buffer.from('not a pack, but long enough to look at'), idx: first.idx }]), refused);
  assert.throws(() => readPackIndex(Buffer.from('not an index')), refused);
});
