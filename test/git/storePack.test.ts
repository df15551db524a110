// storePack leaves nothing partial where readers look: a pack made by native
// git for a new commit is stored through an fs that fails, or "crashes"
// (the failure plus no clean-up, as after SIGKILL), between each step; the
// mirror still reads every old tip, the new objects are either all there or
// invisible, and opening the mirror again removes the leftovers.

import assert from 'node:assert/strict';
import nodeFs from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { readCommit } from 'isomorphic-git';
import { checkMirror } from '../../src/git/checkMirror.js';
import type { GitFs } from '../../src/git/gitFs.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { storePack } from '../../src/git/storePack.js';
import { buildSmallCatalog } from '../helpers/folderTree.js';
import { startGitHttpServer } from '../helpers/gitHttpServer.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

async function setup(t: TestContext) {
  const root = await makeTempDir(t, 'rbee-store-pack');
  const { gitdir: remote } = await buildSmallCatalog(root);
  const server = await startGitHttpServer({ root });
  t.after(() => server.close());
  const url = server.urlFor('catalog.git');
  const cacheDir = path.join(root, 'cache');
  const repo = await openCatalogRepository({ source: url, cacheDir });
  const oldTip = (await git(['--git-dir', remote, 'rev-parse', 'llm-worker-rbee-cpu'])).trim();
  // A new commit on the remote and the pack a fetch of it would bring.
  const work = path.join(root, 'work');
  await git(['clone', '--quiet', '-b', 'llm-worker-rbee-cpu', remote, work]);
  nodeFs.writeFileSync(path.join(work, 'README.md'), '# a new commit\n');
  await git(['-C', work, 'add', 'README.md']);
  await git(['-C', work, 'commit', '--quiet', '-m', 'new']);
  const newTip = (await git(['-C', work, 'rev-parse', 'HEAD'])).trim();
  const sha = (await git(['-C', work, 'pack-objects', '--revs', path.join(root, 'new')], { input: `${newTip}\n^${oldTip}\n` })).trim();
  const pack = nodeFs.readFileSync(path.join(root, `new-${sha}.pack`));
  return { repo, url, cacheDir, oldTip, newTip, pack };
}

type Step = 'write-pack' | 'rename-pack' | 'rename-idx';

/** node:fs whose `step` throws; with `crash`, removing trees does nothing either, as if the process had died. */
function failingFs(step: Step, crash: boolean): GitFs {
  const promises = nodeFs.promises;
  return {
    ...nodeFs,
    promises: {
      ...promises,
      writeFile: async (file: string, data: Uint8Array) => {
        if (step === 'write-pack' && file.endsWith('.pack')) {
          await promises.writeFile(file, data.subarray(0, Math.floor(data.length / 2)));
          throw new Error('disk full');
        }
        return promises.writeFile(file, data);
      },
      rename: async (from: string, to: string) => {
        if ((step === 'rename-pack' && to.endsWith('.pack')) || (step === 'rename-idx' && to.endsWith('.idx'))) throw new Error('killed');
        return promises.rename(from, to);
      },
      rm: crash ? async () => undefined : promises.rm,
    },
  } as unknown as GitFs;
}

async function readable(gitdir: string, oid: string): Promise<boolean> {
  try {
    await readCommit({ fs: nodeFs, gitdir, oid, cache: {} });
    return true;
  } catch {
    return false;
  }
}

test('a pack stored whole is readable and leaves no temporary folder', { timeout: 30_000 }, async (t) => {
  const { repo, newTip, pack } = await setup(t);
  assert.equal(await readable(repo.gitdir, newTip), false);
  assert.ok((await storePack({ fs: nodeFs, gitdir: repo.gitdir, pack, cache: {} })) > 0);
  assert.equal(await readable(repo.gitdir, newTip), true);
  assert.deepEqual(await readdir(path.join(repo.gitdir, 'objects', 'incoming')), []);
  await git(['--git-dir', repo.gitdir, 'cat-file', '-e', newTip]);
});

for (const step of ['write-pack', 'rename-pack', 'rename-idx'] as const) {
  for (const crash of [false, true]) {
    test(`${crash ? 'a crash' : 'a failure'} at ${step} leaves the mirror readable and checkMirror content${crash ? '; reopening removes the leftovers' : ''}`, { timeout: 30_000 }, async (t) => {
      const { repo, url, cacheDir, oldTip, newTip, pack } = await setup(t);
      const packsBefore = (await readdir(path.join(repo.gitdir, 'objects', 'pack'))).sort();
      await assert.rejects(storePack({ fs: failingFs(step, crash), gitdir: repo.gitdir, pack, cache: {} }));
      assert.equal(await readable(repo.gitdir, oldTip), true);
      assert.equal(await readable(repo.gitdir, newTip), false, 'no index names the new objects');
      assert.equal(await checkMirror({ fs: nodeFs, gitdir: repo.gitdir, cache: {} }), undefined);
      const incoming = path.join(repo.gitdir, 'objects', 'incoming');
      const left = nodeFs.existsSync(incoming) ? await readdir(incoming) : [];
      assert.equal(left.length, crash ? 1 : 0, crash ? 'a crash leaves its folder' : 'a failure cleans up');
      if (!crash) return;
      const reopened = await openCatalogRepository({ source: url, cacheDir });
      assert.equal(nodeFs.existsSync(incoming), false);
      assert.deepEqual((await readdir(path.join(reopened.gitdir, 'objects', 'pack'))).sort(), packsBefore, 'a .pack without its .idx is removed too');
      await git(['--git-dir', reopened.gitdir, 'fsck', '--no-dangling']);
    });
  }
}
