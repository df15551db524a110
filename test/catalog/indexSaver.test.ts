import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { encodeSavedIndex } from '../../src/catalog/encodeSavedIndex.js';
import { firstIndex } from '../../src/catalog/firstIndex.js';
import { IndexSaver } from '../../src/catalog/indexSaver.js';
import { loadSavedIndex } from '../../src/catalog/loadSavedIndex.js';
import { NotifyingCatalogStore } from '../../src/catalog/notifyingCatalogStore.js';
import { repositoryIdentity } from '../../src/catalog/savedIndex.js';
import { savedIndexPath } from '../../src/catalog/savedIndexPath.js';
import { createRepositoryFromFolders } from '../../src/git/createRepositoryFromFolders.js';
import { silentGitLogger, type GitLogger } from '../../src/git/gitLogger.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import { snapshotWithout } from '../helpers/snapshotWithout.js';
import { fixtureRepository, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { makeTempDir } from '../helpers/tempDir.js';

const VERSION = '1.2.3-test';

/** A logger that keeps the details of every 'saved the index' line, in order. */
function savesLogged(): { saves: Array<Record<string, unknown>>; logger: GitLogger } {
  const saves: Array<Record<string, unknown>> = [];
  return { saves, logger: { ...silentGitLogger, info: (details, message) => { if (message.startsWith('saved the index')) saves.push(details); } } };
}

test('a save waits for swaps to be quiet for the delay, and no longer than the longest delay while they keep coming', async (t) => {
  const { repo } = await fixtureRepository(t);
  const dir = await makeTempDir(t, 'rbee-saver');
  const repository = repositoryIdentity(repo);
  const file = savedIndexPath({ dir, repository, gitUrl: TEST_GIT_URL });
  const first = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });
  const second = snapshotWithout(first, ['sd-worker-rbee-cpu']);
  const { saves, logger } = savesLogged();
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const saver = new IndexSaver({ file, serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, logger, delayMs: 5000, maxDelayMs: 20_000 });
  // setTimeout is mocked; a save itself (encoded between turns of the event loop, written through
  // the thread pool) takes real time, ~10 ms for the fixture. After a tick, the saves logged once
  // `count` are in (at most 2 s of real time), or after 150 ms when none more should come.
  const savesAfter = async (ms: number, count: number, realMs: number): Promise<unknown[]> => {
    t.mock.timers.tick(ms);
    const until = performance.now() + realMs;
    while (saves.length < count && performance.now() < until) await new Promise((resolve) => setImmediate(resolve));
    return saves.map((details) => details.index);
  };
  const savedAfter = (ms: number, count: number): Promise<unknown[]> => savesAfter(ms, count, 2000);
  const notSavedAfter = (ms: number): Promise<unknown[]> => savesAfter(ms, saves.length + 1, 150);

  saver.schedule(first);
  assert.deepEqual(await notSavedAfter(4000), [], 'not before the delay');
  saver.schedule(second);
  assert.deepEqual(await notSavedAfter(4000), [], 'a newer swap restarts the quiet time');
  assert.deepEqual(await savedAfter(1000, 1), [second.id], 'quiet for the delay: only the newest snapshot is written');

  // Swaps every 3 s are never quiet for 5 s: the first of them is saved 20 s after it came, with the newest snapshot.
  const burst = [first, second, first, second, first, second, first];
  for (const snapshot of burst.slice(0, -1)) {
    saver.schedule(snapshot);
    assert.deepEqual(await notSavedAfter(3000), [second.id], 'swaps still coming, and the longest delay not reached');
  }
  saver.schedule(burst.at(-1)!);
  assert.deepEqual(await savedAfter(2000, 2), [second.id, first.id], '20 s after the first swap of the burst');
  await saver.close();
  const loaded = await loadSavedIndex({ file, serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, logger: silentGitLogger });
  assert.equal(loaded.kind === 'loaded' ? loaded.header.snapshotId : loaded.kind, first.id);
  assert.equal(loaded.kind === 'loaded' && loaded.snapshot.workers.has('sd-worker-rbee-cpu'), true);
});

test('flush writes at once; a snapshot identical to the saved one is not written again; a failed save is logged', async (t) => {
  const { repo } = await fixtureRepository(t);
  const dir = await makeTempDir(t, 'rbee-saver');
  const repository = repositoryIdentity(repo);
  const file = savedIndexPath({ dir, repository, gitUrl: TEST_GIT_URL });
  const snapshot = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });

  const unchanged = new IndexSaver({ file, serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, logger: silentGitLogger, saved: snapshot });
  unchanged.schedule(snapshot);
  await unchanged.flush();
  assert.equal(existsSync(file), false, 'the state on disk is already this snapshot');
  unchanged.schedule(snapshotWithout(snapshot, ['sd-worker-rbee-cpu']));
  await unchanged.flush();
  assert.equal(existsSync(file), true, 'equal tips but another served catalog (a lost last-good version) is written');
  await unchanged.close();
  rmSync(file);

  const saver = new IndexSaver({ file, serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, logger: silentGitLogger });
  saver.schedule(snapshot);
  await saver.close();
  assert.equal(existsSync(file), true);

  const blocked = path.join(dir, 'not-a-folder');
  writeFileSync(blocked, '');
  const errors: string[] = [];
  const logger: GitLogger = { ...silentGitLogger, error: (_details, message) => { errors.push(message); } };
  const failing = new IndexSaver({ file: path.join(blocked, 'index.bin'), serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, logger });
  failing.schedule(snapshot);
  await failing.close();
  assert.equal(errors.length, 1);
});

test('firstIndex indexes from git the first time and from the saved index the next, reusing every branch', async (t) => {
  const { repo } = await fixtureRepository(t);
  const savedIndexDir = await makeTempDir(t, 'rbee-saver');
  const options = { repo, gitUrl: TEST_GIT_URL, serviceVersion: VERSION, savedIndexDir, logger: silentGitLogger };

  const cold = await firstIndex(options);
  assert.equal(cold.from, 'git');
  assert.equal(cold.reusedBranches, 0);
  assert.equal(cold.indexedBranches, cold.snapshot.branches.size);
  const store = new NotifyingCatalogStore();
  store.onSwap((next) => cold.saver.schedule(next));
  store.swap(cold.snapshot);
  await cold.saver.close();

  const warm = await firstIndex(options);
  const file = savedIndexPath({ dir: savedIndexDir, repository: repositoryIdentity(repo), gitUrl: TEST_GIT_URL });
  rmSync(file);
  warm.saver.schedule(warm.snapshot);
  await warm.saver.close();
  assert.equal(existsSync(file), false, 'a start that reused the whole saved index does not write it again');
  assert.equal(warm.from, 'saved index');
  assert.equal(warm.reusedBranches, cold.snapshot.branches.size);
  assert.equal(warm.indexedBranches, 0);
  assert.equal(warm.snapshot.v1List.etag, cold.snapshot.v1List.etag);
  await warm.verifyDetails();
  assert.deepEqual(warm.snapshot.workers.get('llm-worker-rbee-cpu')?.record.metadata, cold.snapshot.workers.get('llm-worker-rbee-cpu')?.record.metadata);
});

test('firstIndex answers damaged parsed fields with a snapshot indexed from git', async (t) => {
  const { repo } = await fixtureRepository(t);
  const savedIndexDir = await makeTempDir(t, 'rbee-saver');
  const options = { repo, gitUrl: TEST_GIT_URL, serviceVersion: VERSION, savedIndexDir, logger: silentGitLogger };
  const cold = await firstIndex(options);
  cold.saver.schedule(cold.snapshot);
  await cold.saver.close();
  const file = savedIndexPath({ dir: savedIndexDir, repository: repositoryIdentity(repo), gitUrl: TEST_GIT_URL });
  const bytes = readFileSync(file);
  bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0x01; // the details part comes last
  writeFileSync(file, bytes);

  const warm = await firstIndex(options);
  assert.equal(warm.from, 'saved index');
  const rebuilt = await warm.verifyDetails();
  assert.ok(rebuilt, 'a snapshot to swap in');
  assert.equal(rebuilt.id, cold.snapshot.id);
  for (const [name, record] of rebuilt.branches) assert.notEqual(record, warm.snapshot.branches.get(name), `${name} is indexed again, not reused`);
  assert.deepEqual(rebuilt.workers.get('llm-worker-rbee-cpu')?.record.metadata, cold.snapshot.workers.get('llm-worker-rbee-cpu')?.record.metadata);
  assert.equal(existsSync(file), false);
});

test('a save after a push copies the unchanged chunks from the last file and writes exactly the bytes a full save writes', async (t) => {
  const { repo, gitdir, sourceDir } = await fixtureRepository(t);
  const dir = await makeTempDir(t, 'rbee-saver');
  const repository = repositoryIdentity(repo);
  const file = savedIndexPath({ dir, repository, gitUrl: TEST_GIT_URL });
  const now = () => new Date('2026-02-01T00:00:00Z');
  const { saves, logger } = savesLogged();
  // A chunk per branch: the fixture's branches are few.
  const options = { serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, now, chunkBranches: 1 };
  const saver = new IndexSaver({ file, logger, ...options });
  const before = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, now });
  saver.schedule(before);
  await saver.flush();

  // A push: one branch moves; every other record is the same object (buildSnapshot reuses them).
  writeFileSync(path.join(sourceDir, 'sd-worker-rbee-cpu', 'README.md'), '# sd-worker-rbee-cpu\n\nA new release.\n');
  await createRepositoryFromFolders({ sourceDir, gitdir, defaultBranch: 'master' });
  const after = await buildSnapshot({ repo: await openCatalogRepository({ source: gitdir, cacheDir: path.join(dir, 'cache') }), gitUrl: TEST_GIT_URL, previous: before, now });
  assert.notEqual(after.branches.get('sd-worker-rbee-cpu'), before.branches.get('sd-worker-rbee-cpu'));
  saver.schedule(after);
  await saver.close();

  const [full, incremental] = saves;
  assert.equal(full?.copiedChunks, 0, 'the first save encodes every chunk');
  const chunks = Number(full?.encodedChunks);
  assert.ok(chunks >= 3, `the fixture spans several chunks (${chunks})`);
  assert.equal(incremental?.encodedChunks, 1, 'only the moved branch\'s chunk is encoded again');
  assert.equal(incremental?.copiedChunks, chunks - 1);

  const fresh = await encodeSavedIndex({ snapshot: after, ...options });
  assert.equal(fresh.encodedChunks, chunks);
  assert.deepEqual(readFileSync(file), Buffer.concat(fresh.pieces as Uint8Array[]), 'byte for byte what a full save of the new snapshot writes');
  const loaded = await loadSavedIndex({ file, logger: silentGitLogger, ...options });
  assert.equal(loaded.kind, 'loaded');
  if (loaded.kind !== 'loaded') return;
  assert.equal(loaded.snapshot.workers.get('sd-worker-rbee-cpu')?.files.get('README.md')?.body.toString(), '# sd-worker-rbee-cpu\n\nA new release.\n');
  await loaded.verifyDetails(async () => undefined);
  assert.deepEqual(loaded.snapshot.workers.get('llm-worker-rbee-cpu')?.record.metadata, after.workers.get('llm-worker-rbee-cpu')?.record.metadata);
});

test('the first save after a start from the saved index copies the loaded file\'s chunks that are still served as they were', async (t) => {
  const { repo, gitdir, sourceDir } = await fixtureRepository(t);
  const dir = await makeTempDir(t, 'rbee-saver');
  const repository = repositoryIdentity(repo);
  const file = savedIndexPath({ dir, repository, gitUrl: TEST_GIT_URL });
  const now = () => new Date('2026-02-01T00:00:00Z');
  const options = { serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, now, chunkBranches: 1 };
  const first = new IndexSaver({ file, logger: silentGitLogger, ...options });
  const saved = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, now });
  first.schedule(saved);
  await first.close();

  // The service restarts after a push: the saved records are reused for every branch but the moved one.
  writeFileSync(path.join(sourceDir, 'llm-worker-rbee-cpu', 'README.md'), '# llm-worker-rbee-cpu\n\nPushed while the service was down.\n');
  await createRepositoryFromFolders({ sourceDir, gitdir, defaultBranch: 'master' });
  const loaded = await loadSavedIndex({ file, logger: silentGitLogger, ...options });
  assert.equal(loaded.kind, 'loaded');
  if (loaded.kind !== 'loaded') return;
  await loaded.verifyDetails(async () => undefined);
  const restarted = await buildSnapshot({ repo: await openCatalogRepository({ source: gitdir, cacheDir: path.join(dir, 'cache') }), gitUrl: TEST_GIT_URL, previous: loaded.snapshot, now });

  const { saves, logger } = savesLogged();
  const saver = new IndexSaver({ file, logger, loaded: loaded.layout, ...options });
  saver.schedule(restarted);
  await saver.close();
  assert.equal(saves[0]?.encodedChunks, 1, 'only the moved branch\'s chunk is encoded');
  assert.equal(saves[0]?.copiedChunks, restarted.branches.size - 1);
  // Not compared with a full save byte for byte: v8 may serialise a deserialised value differently
  // (a number it read back as a small integer), and the copied chunks are the bytes first written.
  const reloaded = await loadSavedIndex({ file, logger: silentGitLogger, ...options });
  assert.equal(reloaded.kind, 'loaded');
  if (reloaded.kind !== 'loaded') return;
  await reloaded.verifyDetails(async () => undefined);
  assert.equal(reloaded.header.snapshotId, restarted.id);
  assert.deepEqual([...reloaded.snapshot.workers.keys()], [...restarted.workers.keys()]);
  for (const [id, served] of restarted.workers) {
    const again = reloaded.snapshot.workers.get(id);
    assert.equal(again?.v1.body.toString(), served.v1.body.toString(), id);
    assert.equal(again?.v1.etag, served.v1.etag, id);
    assert.deepEqual([...again.files].map(([name, body]) => [name, body.body.toString()]), [...served.files].map(([name, body]) => [name, body.body.toString()]), id);
    assert.deepEqual(again.record.metadata, served.record.metadata, id);
    assert.deepEqual(again.record.srcinfo, served.record.srcinfo, id);
  }
  assert.match(reloaded.snapshot.workers.get('llm-worker-rbee-cpu')?.files.get('README.md')?.body.toString() ?? '', /Pushed while the service was down/);

  // A file that is no longer the one loaded is never copied from.
  const other = new IndexSaver({ file, logger, loaded: loaded.layout, ...options });
  other.schedule(saved);
  await other.close();
  assert.equal(saves[1]?.copiedChunks, 0);
});
