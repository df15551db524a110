// PackFileObjects: the refresh's pack reader, reading entries from the pack
// files. Every object native git packed reads back as `git cat-file` prints
// it; a pack written since the last reader is seen by the next one; a pack
// removed is closed, and a reader still holding it declines rather than
// reads another file; a damaged pack is declined, never served.

import assert from 'node:assert/strict';
import { readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { PackFileObjects } from '../../src/git/packFileObjects.js';
import { git } from '../helpers/nativeGit.js';
import { DATED, deltaHistoryRepository, nativeObjects } from '../helpers/packedRepository.js';
import { makeTempDir } from '../helpers/tempDir.js';

async function packNames(gitdir: string): Promise<string[]> {
  return (await readdir(path.join(gitdir, 'objects', 'pack'))).filter((name) => name.endsWith('.pack')).sort();
}

/** One more commit in the work tree beside `gitdir`, left loose; its oid. */
async function commitLoose(gitdir: string, content: string): Promise<string> {
  const work = path.dirname(gitdir);
  await writeFile(path.join(work, 'NEW.txt'), content);
  await git(['-C', work, 'add', '.']);
  await git(['-C', work, 'commit', '--quiet', '-m', content], { env: DATED });
  return (await git(['--git-dir', gitdir, 'rev-parse', 'HEAD'])).trim();
}

test('every object of a repacked repository reads from the pack file as git cat-file prints it', { timeout: 60_000 }, async (t) => {
  const gitdir = await deltaHistoryRepository(await makeTempDir(t, 'rbee-packfile'));
  await git(['--git-dir', gitdir, 'repack', '-a', '-d', '-f', '--depth=20', '--window=50', '--quiet']);
  const packs = new PackFileObjects(gitdir);
  t.after(() => packs.close());
  const reader = await packs.reader();
  const native = await nativeObjects(gitdir);
  assert.ok(native.size > 100);
  for (const [oid, expected] of native) {
    const object = reader.read(oid);
    assert.ok(object !== undefined, `${oid} is served`);
    assert.equal(object.type, expected.type, oid);
    assert.ok(object.bytes.equals(expected.bytes), `${oid} has git's bytes`);
  }
  assert.equal(packs.openPacks, 1);
});

test('a pack written after a reader was made is read by the next reader, not by that one', { timeout: 60_000 }, async (t) => {
  const gitdir = await deltaHistoryRepository(await makeTempDir(t, 'rbee-packfile'));
  await git(['--git-dir', gitdir, 'repack', '-a', '-d', '--quiet']);
  const packs = new PackFileObjects(gitdir);
  t.after(() => packs.close());
  const before = await packs.reader();

  const commit = await commitLoose(gitdir, 'in a second pack\n');
  assert.equal(before.read(commit), undefined, 'loose: declined');
  // Without -a: the loose objects go into a pack of their own beside the first.
  await git(['--git-dir', gitdir, 'repack', '-d', '--quiet']);
  assert.equal((await packNames(gitdir)).length, 2);

  assert.equal(before.read(commit), undefined, 'the old reader does not know the new pack');
  const after = await packs.reader();
  assert.equal(after.read(commit)?.type, 'commit');
  assert.equal(packs.openPacks, 2);
});

test('a pack merged away is closed: a reader still holding it declines, the next one reads the merged pack', { timeout: 60_000 }, async (t) => {
  const gitdir = await deltaHistoryRepository(await makeTempDir(t, 'rbee-packfile'));
  await git(['--git-dir', gitdir, 'repack', '-a', '-d', '--quiet']);
  await commitLoose(gitdir, 'second pack\n');
  await git(['--git-dir', gitdir, 'repack', '-d', '--quiet']);
  const packs = new PackFileObjects(gitdir);
  t.after(() => packs.close());
  const held = await packs.reader();
  const head = (await git(['--git-dir', gitdir, 'rev-parse', 'HEAD'])).trim();
  assert.equal(held.read(head)?.type, 'commit');
  assert.equal(packs.openPacks, 2);

  await git(['--git-dir', gitdir, 'repack', '-a', '-d', '--quiet']);
  const merged = await packNames(gitdir);
  assert.equal(merged.length, 1);
  const next = await packs.reader();
  assert.equal(packs.openPacks, 1, 'both old packs closed, the merged one open');
  assert.equal(next.read(head)?.type, 'commit');
  // A fresh descriptor may reuse a closed one's number: the held reader must not read through it.
  assert.equal(held.read(head), undefined);
});

test('a pack cut short or not matching its index is declined, and the others still serve', { timeout: 60_000 }, async (t) => {
  const gitdir = await deltaHistoryRepository(await makeTempDir(t, 'rbee-packfile'));
  await git(['--git-dir', gitdir, 'repack', '-a', '-d', '--quiet']);
  const first = (await git(['--git-dir', gitdir, 'rev-parse', 'HEAD'])).trim();
  const second = await commitLoose(gitdir, 'second pack\n');
  await git(['--git-dir', gitdir, 'repack', '-d', '--quiet']);
  const packDir = path.join(gitdir, 'objects', 'pack');
  // The second pack is the one holding `second`: the smaller of the two.
  const sizes = await Promise.all((await packNames(gitdir)).map(async (name) => ({ name, size: (await readFile(path.join(packDir, name))).length })));
  const small = sizes.sort((a, b) => a.size - b.size)[0]!.name;
  await truncate(path.join(packDir, small), 40);

  const packs = new PackFileObjects(gitdir);
  t.after(() => packs.close());
  const reader = await packs.reader();
  assert.equal(reader.read(second), undefined);
  assert.equal(reader.read(first)?.type, 'commit');
  assert.equal(packs.openPacks, 2, 'the bad pack stays open, remembered as unchecked, not re-read at every refresh');
});

test('a repository with no pack folder gives a reader that declines everything', async (t) => {
  const root = await makeTempDir(t, 'rbee-packfile');
  const gitdir = path.join(root, 'bare.git');
  await git(['init', '--quiet', '--bare', gitdir]);
  await rm(path.join(gitdir, 'objects', 'pack'), { recursive: true, force: true });
  const packs = new PackFileObjects(gitdir);
  const reader = await packs.reader();
  assert.equal(reader.read('1'.repeat(40)), undefined);
  await packs.close();
  await assert.rejects(packs.reader(), /closed/);
});
