import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { CatalogStore } from '../../src/catalog/catalogStore.js';
import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';
import { silentGitLogger } from '../../src/git/gitLogger.js';
import { httpWithTimeout } from '../../src/git/httpWithTimeout.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { heldPackBytes, releasePackData } from '../../src/git/releasePackData.js';
import { remoteMirrorSync, type MirrorSync } from '../../src/refresh/mirrorSync.js';
import { RefreshEngine } from '../../src/refresh/refreshEngine.js';
import type { RefreshObserver } from '../../src/refresh/refreshObserver.js';
import { catalogWorkerIds } from '../helpers/catalogApp.js';
import type { GitHttpServer } from '../helpers/gitHttpServer.js';
import { servedFixtureCatalog } from '../helpers/servedCatalog.js';
import { git } from '../helpers/nativeGit.js';
import type { CatalogRepository } from '../../src/git/types.js';
import { makeTempDir } from '../helpers/tempDir.js';
import { snapshotWithout } from '../helpers/snapshotWithout.js';

interface Setup {
  engine: RefreshEngine;
  repo: CatalogRepository;
  store: CatalogStore;
  server: GitHttpServer;
  /** A native-git clone of `branch`, ready to commit and push. */
  clone(branch: string): Promise<string>;
  /** Commits `text` as README.md on `branch` and pushes it, from a fresh clone. */
  pushReadme(branch: string, text: string): Promise<void>;
}

interface SetupOptions {
  observer?: RefreshObserver;
  releasePacksAfterMs?: number;
  /** Wraps the real sync, e.g. to act in the store while a refresh fetches. */
  wrapSync?: (sync: MirrorSync, store: CatalogStore) => MirrorSync;
}

async function setup(t: TestContext, setupOptions: SetupOptions = {}): Promise<Setup> {
  const { wrapSync, ...options } = setupOptions;
  const root = await makeTempDir(t, 'rbee-refresh');
  const { gitServer: server, url } = await servedFixtureCatalog(t, { root });
  const repo = await openCatalogRepository({ source: url, cacheDir: path.join(root, 'cache') });
  const store = new CatalogStore();
  store.swap(await buildSnapshot({ repo, gitUrl: url }));
  const remote = remoteMirrorSync({ repo, url, http: httpWithTimeout({ timeoutMs: 5000 }), logger: silentGitLogger });
  const sync = wrapSync?.(remote, store) ?? remote;
  const engine = new RefreshEngine({ repo, store, gitUrl: url, sync, logger: silentGitLogger, retry: { initialDelayMs: 50, maxDelayMs: 200 }, ...options });
  t.after(() => engine.close());
  let clones = 0;
  const clone = async (branch: string): Promise<string> => {
    clones += 1;
    const dir = path.join(root, `work-${clones}`);
    await git(['clone', '--quiet', '-b', branch, url, dir]);
    return dir;
  };
  const pushReadme = async (branch: string, text: string): Promise<void> => {
    const work = await clone(branch);
    writeFileSync(path.join(work, 'README.md'), text);
    await git(['-C', work, 'commit', '--quiet', '-am', 'Update README']);
    await git(['-C', work, 'push', '--quiet', 'origin', 'HEAD']);
  };
  return { engine, repo, store, server, clone, pushReadme };
}

function readme(store: CatalogStore, id: string): string | undefined {
  const file = store.current?.workers.get(id)?.files.get('README.md');
  return file === undefined ? undefined : file.body.toString('utf8');
}

test('a pushed commit is fetched and served; every other branch is reused as it was', async (t) => {
  const { engine, store, pushReadme } = await setup(t);
  const before = store.current!;
  await pushReadme('llm-worker-rbee-rocm', '# rocm\n\nNew text.\n');

  engine.request({ kind: 'branch', branch: 'llm-worker-rbee-rocm', deliveryId: 'd-1' });
  await engine.idle();
  const after = store.current!;
  assert.notEqual(after, before);
  assert.equal(readme(store, 'llm-worker-rbee-rocm'), '# rocm\n\nNew text.\n');
  for (const id of catalogWorkerIds().filter((name) => name !== 'llm-worker-rbee-rocm')) {
    assert.equal(after.branches.get(id), before.branches.get(id), `${id} reused`);
  }
  assert.equal(engine.status.lastError, undefined);
  assert.ok(engine.status.lastRefreshAt instanceof Date);
});

test('a swap made while a refresh fetches (the saver serving its file read back) is built upon, not undone', async (t) => {
  let swappedMeanwhile: CatalogSnapshot | undefined;
  const { engine, store, pushReadme } = await setup(t, {
    wrapSync: (sync, served) => ({
      all: () => sync.all(),
      branch: async (name) => {
        const tip = await sync.branch(name);
        // Another snapshot of the same tips, told apart by what it serves.
        swappedMeanwhile = snapshotWithout(served.current!, ['llm-worker-rbee-cuda']);
        served.swap(swappedMeanwhile);
        return tip;
      },
    }),
  });
  await pushReadme('llm-worker-rbee-rocm', '# rocm\n\nNew text.\n');

  engine.request({ kind: 'branch', branch: 'llm-worker-rbee-rocm' });
  await engine.idle();
  assert.equal(readme(store, 'llm-worker-rbee-rocm'), '# rocm\n\nNew text.\n');
  assert.equal(store.current!.workers.has('llm-worker-rbee-cuda'), false, 'patched onto the snapshot swapped in during the fetch');
  assert.equal(store.current!.workers.get('sd-worker-rbee-cpu'), swappedMeanwhile!.workers.get('sd-worker-rbee-cpu'));
});

test('a new branch appears, a deleted branch disappears, a forced push replaces history', async (t) => {
  const { engine, store, clone } = await setup(t);
  const work = await clone('sd-worker-rbee-cpu');
  await git(['-C', work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/sd-worker-rbee-copy']);
  engine.request({ kind: 'branch', branch: 'sd-worker-rbee-copy' });
  await engine.idle();
  assert.ok(store.current?.branches.has('sd-worker-rbee-copy'), 'the new branch is indexed');

  await git(['-C', work, 'push', '--quiet', 'origin', '--delete', 'sd-worker-rbee-cpu']);
  engine.request({ kind: 'delete', branch: 'sd-worker-rbee-cpu' });
  await engine.idle();
  assert.equal(store.current?.workers.has('sd-worker-rbee-cpu'), false);
  assert.equal(store.current?.branches.has('sd-worker-rbee-cpu'), false);

  const forced = await clone('sd-worker-rbee-cuda');
  writeFileSync(path.join(forced, 'README.md'), '# rewritten history\n');
  await git(['-C', forced, 'commit', '--quiet', '--amend', '-am', 'Rewrite']);
  await git(['-C', forced, 'push', '--quiet', '--force', 'origin', 'HEAD']);
  engine.request({ kind: 'branch', branch: 'sd-worker-rbee-cuda' });
  await engine.idle();
  assert.equal(readme(store, 'sd-worker-rbee-cuda'), '# rewritten history\n');
});

test('an invalid commit keeps the last good version served and reports the rejected commit', async (t) => {
  const { engine, store, clone } = await setup(t);
  const goodOid = store.current?.workers.get('llm-worker-rbee-cpu')?.record.commit.oid;
  const goodBody = store.current?.workers.get('llm-worker-rbee-cpu')?.legacy.body;
  const work = await clone('llm-worker-rbee-cpu');
  await git(['-C', work, 'rm', '--quiet', '.SRCINFO']);
  await git(['-C', work, 'commit', '--quiet', '-m', 'Forget .SRCINFO']);
  await git(['-C', work, 'push', '--quiet', 'origin', 'HEAD']);
  const badOid = (await git(['-C', work, 'rev-parse', 'HEAD'])).trim();

  engine.request({ kind: 'branch', branch: 'llm-worker-rbee-cpu' });
  await engine.idle();
  const served = store.current?.workers.get('llm-worker-rbee-cpu');
  assert.ok(served, 'still served');
  assert.equal(served.record.commit.oid, goodOid);
  assert.deepEqual(served.legacy.body, goodBody);
  const v1 = JSON.parse(served.v1.body.toString()) as { rejectedNewerCommit: { oid: string; problems: { code: string }[] } | null };
  assert.equal(v1.rejectedNewerCommit?.oid, badOid);
  assert.ok(v1.rejectedNewerCommit?.problems.some((problem) => problem.code === 'SRCINFO_MISSING'));
  const report = JSON.parse(store.current!.problems.body.toString()) as { branches: { branch: string; commit: string; rejectedNewerCommit: boolean }[] };
  assert.ok(report.branches.some((entry) => entry.branch === 'llm-worker-rbee-cpu' && entry.commit === badOid && entry.rejectedNewerCommit));

  // Fixing the branch serves the fix and clears the rejection.
  await git(['-C', work, 'revert', '--no-edit', 'HEAD']);
  await git(['-C', work, 'push', '--quiet', 'origin', 'HEAD']);
  engine.request({ kind: 'branch', branch: 'llm-worker-rbee-cpu' });
  await engine.idle();
  const fixed = store.current?.workers.get('llm-worker-rbee-cpu');
  assert.equal(fixed?.record.commit.oid, (await git(['-C', work, 'rev-parse', 'HEAD'])).trim());
  assert.equal(fixed?.rejected, undefined);
});

test('a burst of requests for one branch coalesces into one fetch of its pack', async (t) => {
  const { engine, store, server, pushReadme } = await setup(t);
  await pushReadme('sd-worker-rbee-metal', '# burst\n');

  const requestsBefore = server.requests;
  for (let index = 0; index < 10; index += 1) engine.request({ kind: 'branch', branch: 'sd-worker-rbee-metal', deliveryId: `d-${index}` });
  await engine.idle();
  assert.equal(readme(store, 'sd-worker-rbee-metal'), '# burst\n');
  // One sync: a ref advertisement, then the fetch's own advertisement and pack request.
  assert.ok(server.requests - requestsBefore <= 3, `ten requests cost ${server.requests - requestsBefore} HTTP requests`);
});

test('a failed fetch keeps the previous index, records the error and retries with backoff', async (t) => {
  const { engine, store, server, pushReadme } = await setup(t);
  await pushReadme('llm-worker-rbee-metal', '# after the outage\n');
  const before = store.current;
  await server.close();

  engine.request({ kind: 'branch', branch: 'llm-worker-rbee-metal' });
  await engine.idle();
  assert.equal(store.current, before, 'the old snapshot is still served');
  assert.ok(engine.status.lastError !== undefined);
  assert.equal(engine.status.pending, 1, 'the request waits for its retry');
});

test('a full refresh (the reconcile path) picks up pushes no webhook announced', async (t) => {
  const { engine, store, pushReadme } = await setup(t);
  for (const branch of ['llm-worker-rbee-cuda', 'sd-worker-rbee-rocm']) {
    await pushReadme(branch, `# ${branch}, missed delivery\n`);
  }
  engine.request({ kind: 'full', reason: 'reconcile' });
  await engine.idle();
  assert.equal(readme(store, 'llm-worker-rbee-cuda'), '# llm-worker-rbee-cuda, missed delivery\n');
  assert.equal(readme(store, 'sd-worker-rbee-rocm'), '# sd-worker-rbee-rocm, missed delivery\n');

  const settled = store.current;
  engine.request({ kind: 'full', reason: 'reconcile' });
  await engine.idle();
  assert.equal(store.current, settled, 'nothing changed remotely: the snapshot is not rebuilt');
});

test('the observer is told each refresh\'s kind and durations, and which stage a failure was in', async (t) => {
  const told: Array<{ refreshed?: { kind: string; fetchSeconds: number; indexSeconds: number }; failed?: { stage: string } }> = [];
  const observer: RefreshObserver = { refreshed: (outcome) => told.push({ refreshed: outcome }), failed: (outcome) => told.push({ failed: outcome }) };
  const { engine, server, pushReadme } = await setup(t, { observer });
  await pushReadme('sd-worker-rbee-cuda', '# observed\n');
  engine.request({ kind: 'branch', branch: 'sd-worker-rbee-cuda' });
  await engine.idle();
  engine.request({ kind: 'full', reason: 'test' });
  await engine.idle();
  assert.deepEqual(told.map((entry) => entry.refreshed?.kind), ['branches'], 'a full refresh that finds nothing new swaps nothing and tells nothing');
  const [first] = told;
  assert.ok(first?.refreshed !== undefined && first.refreshed.fetchSeconds > 0 && first.refreshed.indexSeconds > 0);

  await server.close();
  engine.request({ kind: 'branch', branch: 'sd-worker-rbee-cuda' });
  await engine.idle();
  assert.deepEqual(told.at(-1), { failed: { stage: 'fetch' } });
});

const holdsWholePack = async (repo: CatalogRepository): Promise<boolean> => (await heldPackBytes(repo.cache)) > 0;

async function largestPackBytes(gitdir: string): Promise<number> {
  const folder = path.join(gitdir, 'objects', 'pack');
  const sizes = readdirSync(folder).filter((name) => name.endsWith('.pack')).map((name) => statSync(path.join(folder, name)).size);
  return Math.max(...sizes);
}

test('a refresh reads the clone\'s pack an entry at a time, and what it loaded whole is let go once pushes stop', async (t) => {
  const { engine, repo, store, clone } = await setup(t, { releasePacksAfterMs: 100 });
  // As the service does after its first index.
  await releasePackData(repo);
  assert.equal(await heldPackBytes(repo.cache), 0);
  const clonePack = await largestPackBytes(repo.gitdir);
  const work = await clone('llm-worker-rbee-rocm');
  for (const text of ['first', 'second']) {
    writeFileSync(path.join(work, 'README.md'), `# rocm\n\n${text}\n`);
    await git(['-C', work, 'commit', '--quiet', '-am', text]);
    await git(['-C', work, 'push', '--quiet', 'origin', 'HEAD']);
    engine.request({ kind: 'branch', branch: 'llm-worker-rbee-rocm' });
    await engine.idle();
    assert.equal(readme(store, 'llm-worker-rbee-rocm'), `# rocm\n\n${text}\n`);
    // The unchanged files came out of the clone's pack, read where it lies (PackFileObjects);
    // what isomorphic-git holds whole is the fetch's own small pack, where it proved the tip arrived.
    const held = await heldPackBytes(repo.cache);
    assert.ok(held > 0 && held < clonePack, `${held} bytes held whole, the clone's pack is ${clonePack}`);
    const deadline = Date.now() + 5000;
    while ((await holdsWholePack(repo)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await holdsWholePack(repo), false, 'let go once no refresh came for a while');
  }
  assert.equal(engine.status.lastError, undefined);
});
