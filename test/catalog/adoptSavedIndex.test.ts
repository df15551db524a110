import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { adoptSavedIndex, indexedBranches, worthAdopting } from '../../src/catalog/adoptSavedIndex.js';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { encodeSavedIndex } from '../../src/catalog/encodeSavedIndex.js';
import { IndexSaver, type AdoptTarget } from '../../src/catalog/indexSaver.js';
import { loadSavedIndex, type LoadedSavedIndex } from '../../src/catalog/loadSavedIndex.js';
import { NotifyingCatalogStore } from '../../src/catalog/notifyingCatalogStore.js';
import { patchSnapshot } from '../../src/catalog/patchSnapshot.js';
import { isRestoredBranch } from '../../src/catalog/restoreSavedSnapshot.js';
import { repositoryIdentity } from '../../src/catalog/savedIndex.js';
import { savedIndexPath } from '../../src/catalog/savedIndexPath.js';
import { saveIndex } from '../../src/catalog/saveIndex.js';
import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';
import { createRepositoryFromFolders } from '../../src/git/createRepositoryFromFolders.js';
import { readRepositoryRefs } from '../../src/git/readRepositoryRefs.js';
import { fullCollection } from '../../src/memory/fullCollection.js';
import { fixtureRepository, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { servedBytes } from '../helpers/servedBytes.js';
import { makeTempDir } from '../helpers/tempDir.js';
import { recordingLogger } from '../helpers/recordingLogger.js';

const VERSION = '1.2.3-test';

/** The fixture indexed from git and served from a store, with a saver that adopts what it saves (from one indexed branch on). */
async function servedFixture(t: TestContext, adopt: Partial<AdoptTarget> = {}) {
  const fixture = await fixtureRepository(t);
  const dir = await makeTempDir(t, 'rbee-adopt');
  const repository = repositoryIdentity(fixture.repo);
  const file = savedIndexPath({ dir, repository, gitUrl: TEST_GIT_URL });
  const logger = recordingLogger();
  const store = new NotifyingCatalogStore();
  const indexed = await buildSnapshot({ repo: fixture.repo, gitUrl: TEST_GIT_URL });
  store.swap(indexed);
  const swaps: CatalogSnapshot[] = [];
  const saver = new IndexSaver({
    file, serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, logger, chunkBranches: 2,
    adopt: { served: () => store.current, swap: (next) => { swaps.push(next); store.swap(next); }, fromBranches: 1, ...adopt },
  });
  store.onSwap((next) => saver.schedule(next));
  t.after(() => saver.close());
  const saves = () => logger.lines.filter((line) => line.message.startsWith('saved the index')).map((line) => line.details);
  const adoptions = () => logger.lines.filter((line) => line.message.startsWith('serving the saved index')).map((line) => line.details);
  return { ...fixture, file, repository, logger, store, indexed, saver, swaps, saves, adoptions };
}

/** A new commit on one branch, indexed onto `previous` as a webhook's refresh would. */
async function push(fixture: Pick<Awaited<ReturnType<typeof servedFixture>>, 'repo' | 'gitdir' | 'sourceDir'>, previous: CatalogSnapshot) {
  const { repo, gitdir, sourceDir } = fixture;
  const branch = 'sd-worker-rbee-cpu';
  writeFileSync(path.join(sourceDir, branch, 'README.md'), '# sd-worker-rbee-cpu\n\nPushed after the save.\n');
  await createRepositoryFromFolders({ sourceDir, gitdir, defaultBranch: 'master' });
  const tip = (await readRepositoryRefs(repo)).branches.find((ref) => ref.name === branch)!.oid;
  return { branch, tip, pushed: await patchSnapshot({ repo, gitUrl: TEST_GIT_URL, previous, tips: new Map([[branch, tip]]) }) };
}

test('a save after branches were indexed from git serves the file read back: the same bytes from restored records, no change recorded, nothing written again', async (t) => {
  const { store, indexed, saver, swaps, saves, adoptions } = await servedFixture(t);
  assert.equal(indexedBranches(indexed), indexed.branches.size, 'every branch indexed from git to begin with');
  const head = store.changes.head();
  saver.schedule(indexed);
  await saver.flush();

  assert.equal(swaps.length, 1);
  const adopted = store.current!;
  assert.notEqual(adopted, indexed);
  assert.equal(adopted.id, indexed.id);
  assert.equal(adopted.builtAt, indexed.builtAt, 'built when the saved one was: list Last-Modified stays');
  assert.deepEqual(adopted.defaultBranch, indexed.defaultBranch);
  assert.ok([...adopted.branches.values()].every(isRestoredBranch), 'every record restored from the file');
  assert.equal(indexedBranches(adopted), 0);
  assert.deepEqual(servedBytes(adopted), servedBytes(indexed));
  assert.equal(store.changes.head(), head, 'the change log records nothing');
  assert.deepEqual(adoptions().map((details) => details.indexedBranches), [indexed.branches.size]);

  // The adopted snapshot is what the file holds: the swap it causes writes nothing.
  await saver.flush();
  assert.equal(saves().length, 1);
});

test('after an adoption, a push is saved by encoding its chunk alone and copying the others', async (t) => {
  const { repo, gitdir, sourceDir, store, indexed, saver, saves, adoptions } = await servedFixture(t);
  saver.schedule(indexed);
  await saver.flush();
  const adopted = store.current!;

  const { branch, tip, pushed } = await push({ repo, gitdir, sourceDir }, adopted);
  store.swap(pushed, { from: adopted, branches: [branch] });
  await saver.flush();

  const [, afterPush] = saves();
  assert.equal(afterPush?.encodedChunks, 1, 'the pushed branch\'s chunk');
  assert.ok(Number(afterPush?.copiedChunks) >= 2, 'the rest copied from the adopted file');
  // One branch re-read is worth a read-back in a catalog this small (worthAdopting): it is restored too.
  assert.deepEqual(adoptions().map((details) => details.indexedBranches), [indexed.branches.size, 1]);
  assert.ok([...store.current!.branches.values()].every(isRestoredBranch));
  assert.equal(store.current!.branches.get(branch)!.oid, tip);
  assert.deepEqual(servedBytes(store.current!), servedBytes(pushed));
});

test('nothing is adopted when another snapshot is served by the time the file is read back, below the threshold, or at close', async (t) => {
  let asked = 0;
  // Served at the first look, before the read-back; something else after it.
  const moved = await servedFixture(t, { served: () => (asked++ === 0 ? moved.store.current : undefined) });
  moved.saver.schedule(moved.indexed);
  await moved.saver.flush();
  assert.equal(moved.saves().length, 1);
  assert.equal(asked, 2, 'asked before and after the read-back');
  assert.deepEqual(moved.swaps, []);
  assert.equal(moved.store.current, moved.indexed);

  const few = await servedFixture(t, { fromBranches: 1000 });
  assert.equal(worthAdopting(indexedBranches(few.indexed), few.indexed.branches.size, 1000), false);
  few.saver.schedule(few.indexed);
  await few.saver.flush();
  assert.equal(few.saves().length, 1);
  assert.deepEqual(few.swaps, []);

  const closing = await servedFixture(t);
  closing.saver.schedule(closing.indexed);
  await closing.saver.close();
  assert.equal(closing.saves().length, 1, 'what is pending is written at close');
  assert.deepEqual(closing.swaps, [], 'and not read back');
});

test('worthAdopting: enough branches indexed, and at least a hundredth of the catalog', () => {
  assert.equal(worthAdopting(15, 100), false);
  assert.equal(worthAdopting(16, 100), true);
  assert.equal(worthAdopting(99, 10_000), false);
  assert.equal(worthAdopting(100, 10_000), true);
  assert.equal(worthAdopting(1, 6, 1), true);
});

test('a file that holds another snapshot, or whose parsed fields are damaged, is not adopted', async (t) => {
  const context = await servedFixture(t);
  const { file, repository, logger, indexed, saver } = context;
  saver.schedule(indexed);
  await saver.close();
  const expected = { file, serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, logger, pause: () => new Promise<void>((resolve) => setImmediate(resolve)) };

  const { pushed } = await push(context, indexed);
  assert.notEqual(pushed.id, indexed.id);
  assert.equal(await adoptSavedIndex({ ...expected, saved: pushed }), undefined);
  assert.ok(logger.lines.some((line) => line.level === 'warn' && line.message.includes('another snapshot')));
  assert.ok(existsSync(file), 'a file of another snapshot is left for the next save');
  assert.equal((await adoptSavedIndex({ ...expected, saved: indexed }))?.snapshot.id, indexed.id, 'the file itself is fine');

  const bytes = readFileSync(file);
  const headerEnd = 12 + bytes.readUInt32BE(8);
  const header = JSON.parse(bytes.subarray(12, headerEnd).toString()) as { structureBytes: number; blobBytes: number; detailsBytes: number };
  const at = headerEnd + header.structureBytes + header.blobBytes + Math.floor(header.detailsBytes / 2);
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(file, bytes);
  assert.equal(await adoptSavedIndex({ ...expected, saved: indexed }), undefined);
  assert.equal(existsSync(file), false, 'a damaged file is deleted, as at a start');
});

test('once adopted, the records a start restored are let go: the saver keeps neither the start\'s snapshot nor the layout it loaded', async (t) => {
  const context = await servedFixture(t);
  const { file, repository, indexed } = context;
  await saveIndex(file, await encodeSavedIndex({ snapshot: indexed, serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, chunkBranches: 2 }));
  // A start from that file, as firstIndex makes it: every record restored, the saver told what the file holds.
  let loaded: LoadedSavedIndex | undefined = await loadSavedIndex({ file, serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, logger: context.logger });
  if (loaded.kind !== 'loaded') return assert.fail(loaded.kind);
  let start: CatalogSnapshot | undefined = await buildSnapshot({ repo: context.repo, gitUrl: TEST_GIT_URL, previous: loaded.snapshot });
  const store = new NotifyingCatalogStore();
  store.swap(start);
  const saver = new IndexSaver({
    file, serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, logger: context.logger, chunkBranches: 2, saved: start, loaded: loaded.layout,
    adopt: { served: () => store.current, swap: (next) => store.swap(next), fromBranches: 1 },
  });
  t.after(() => saver.close());
  store.onSwap((next) => saver.schedule(next));
  const restoredRecord = new WeakRef(start.branches.get('llm-worker-rbee-cpu')!);
  assert.ok(isRestoredBranch(restoredRecord.deref()!));

  let { pushed } = await push(context, start);
  store.swap(pushed);
  await saver.flush();
  assert.notEqual(store.current, pushed, 'the push was saved and adopted');
  assert.notEqual(store.current!.branches.get('llm-worker-rbee-cpu'), restoredRecord.deref(), 'an unpushed branch is served by the adopted record');
  loaded = undefined;
  start = undefined;
  pushed = undefined as unknown as CatalogSnapshot;
  // A WeakRef keeps its target alive until the job that read it ends: each round reads it in a new one.
  for (let round = 0; round < 3 && restoredRecord.deref() !== undefined; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    fullCollection()();
  }
  assert.equal(restoredRecord.deref(), undefined, 'the start\'s restored record, and the bytes part under it, are garbage');
});
