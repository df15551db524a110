import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { encodeSavedIndex } from '../../src/catalog/encodeSavedIndex.js';
import { loadSavedIndex, type LoadedSavedIndex } from '../../src/catalog/loadSavedIndex.js';
import { peekSavedWorker } from '../../src/catalog/restoreSavedSnapshot.js';
import { KEEP_DECODED_MS } from '../../src/catalog/savedDetails.js';
import { saveIndex } from '../../src/catalog/saveIndex.js';
import { repositoryIdentity } from '../../src/catalog/savedIndex.js';
import { savedIndexPath } from '../../src/catalog/savedIndexPath.js';
import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';
import { fullCollection } from '../../src/memory/fullCollection.js';
import { createRepositoryFromFolders } from '../../src/git/createRepositoryFromFolders.js';
import { openCatalogRepository } from '../../src/git/openCatalogRepository.js';
import type { CatalogRepository } from '../../src/git/types.js';
import { CatalogStore } from '../../src/catalog/catalogStore.js';
import { ChangeLog } from '../../src/catalog/changeLog.js';
import { readRepositoryRefs } from '../../src/git/readRepositoryRefs.js';
import { catalogWorkerIds, emptyApp, fixtureRepository, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { servedBytes } from '../helpers/servedBytes.js';
import { snapshotWithout } from '../helpers/snapshotWithout.js';
import { makeTempDir } from '../helpers/tempDir.js';
import { recordingLogger, type LogLine } from '../helpers/recordingLogger.js';

const VERSION = '1.2.3-test';
const NOW = () => new Date('2026-02-01T00:00:00Z');

async function setup(t: TestContext, options: { broken?: readonly string[] } = {}) {
  const fixture = await fixtureRepository(t, options);
  const dir = await makeTempDir(t, 'rbee-saved-index');
  const repository = repositoryIdentity(fixture.repo);
  const file = savedIndexPath({ dir, repository, gitUrl: TEST_GIT_URL });
  const logger = recordingLogger();
  // Chunks of 3 branches: the fixture's branches span several, so chunk boundaries are crossed.
  const save = async (snapshot: CatalogSnapshot): Promise<void> => {
    await saveIndex(file, await encodeSavedIndex({ snapshot, serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, now: NOW, chunkBranches: 3 }));
  };
  const load = (expected: { serviceVersion?: string; repository?: string; gitUrl?: string; threadReadMinBytes?: number; keepDecodedMs?: number; onDetailsReleased?: () => void; hashOnThread?: () => Promise<string[]> } = {}): Promise<LoadedSavedIndex> =>
    loadSavedIndex({ file, serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, logger, ...expected });
  return { ...fixture, file, logger, save, load };
}

/** The fixture indexed, saved and loaded back, counting each release of decoded parsed fields; `idle` waits past keepDecodedMs. */
async function restored(t: TestContext, keepDecodedMs?: number) {
  const context = await setup(t);
  const fresh = await buildSnapshot({ repo: context.repo, gitUrl: TEST_GIT_URL, now: NOW });
  await context.save(fresh);
  let released = 0;
  const loaded = await context.load({ keepDecodedMs, onDetailsReleased: () => { released += 1; } });
  if (loaded.kind !== 'loaded') return assert.fail(loaded.kind);
  const idle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 4 * (keepDecodedMs ?? KEEP_DECODED_MS)));
  return { ...context, fresh, loaded, released: () => released, idle };
}

/** Rebuilds the fixture repository from its (edited) folders and opens it afresh, as a restart would. */
async function rewrite(gitdir: string, sourceDir: string): Promise<CatalogRepository> {
  await createRepositoryFromFolders({ sourceDir, gitdir, defaultBranch: 'master' });
  return openCatalogRepository({ source: gitdir, cacheDir: path.join(gitdir, '..', 'cache') });
}

/** A record as plain data (getters read, bytes as base64, Maps as entries), to compare with a freshly indexed one. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, function (this: Record<string, unknown>, key: string, item: unknown) {
    // The value before toJSON: a Buffer and a Uint8Array of the same bytes are the same file.
    const raw = this[key];
    if (raw instanceof Map) return { map: [...raw] };
    if (raw instanceof Uint8Array) return { bytes: Buffer.from(raw).toString('base64') };
    return item;
  }));
}

function expectRejected(loaded: LoadedSavedIndex, code: string): void {
  assert.equal(loaded.kind, 'rejected');
  assert.equal(loaded.kind === 'rejected' ? loaded.code : undefined, code);
}

test('a restart from the saved index serves exactly what a fresh index serves, byte for byte, without reading a branch again', async (t) => {
  const { repo, file, save, load } = await setup(t, { broken: ['broken-bad-metadata'] });
  const cold = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, now: NOW });
  await save(cold);
  assert.ok(existsSync(file));

  const loaded = await load();
  assert.equal(loaded.kind, 'loaded');
  if (loaded.kind !== 'loaded') return;
  assert.equal(loaded.header.snapshotId, cold.id);
  const warm = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, previous: loaded.snapshot, now: NOW });
  const fresh = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, now: NOW });

  assert.equal(warm.id, fresh.id);
  assert.deepEqual([...warm.workers.keys()], catalogWorkerIds());
  assert.deepEqual(servedBytes(warm), servedBytes(fresh));
  for (const [name, record] of warm.branches) {
    assert.equal(record, loaded.snapshot.branches.get(name), `${name} is the saved record, not re-read`);
    assert.deepEqual(plain(record), plain(fresh.branches.get(name)), `${name}'s record holds what indexing gives`);
  }
  for (const [id, served] of warm.workers) assert.equal(served, loaded.snapshot.workers.get(id), `${id}'s saved responses are served`);
  assert.ok(warm.branches.get('broken-bad-metadata')?.problems.length, 'an unserved branch keeps its problems');
  await loaded.verifyDetails();
  assert.deepEqual(plain([...warm.branches.values()]), plain([...fresh.branches.values()]));
});

test('a branch that moved while the service was down is re-indexed and a deleted one disappears', async (t) => {
  const { repo, gitdir, sourceDir, save, load } = await setup(t);
  const cold = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, now: NOW });
  await save(cold);

  writeFileSync(path.join(sourceDir, 'sd-worker-rbee-cpu', 'README.md'), '# sd-worker-rbee-cpu\n\nChanged while the service was down.\n');
  rmSync(path.join(sourceDir, 'llm-worker-rbee-cuda'), { recursive: true });
  const reopened = await rewrite(gitdir, sourceDir);
  const loaded = await load();
  assert.equal(loaded.kind, 'loaded');
  if (loaded.kind !== 'loaded') return;
  const warm = await buildSnapshot({ repo: reopened, gitUrl: TEST_GIT_URL, previous: loaded.snapshot, now: NOW });
  const fresh = await buildSnapshot({ repo: reopened, gitUrl: TEST_GIT_URL, now: NOW });

  assert.equal(warm.workers.has('llm-worker-rbee-cuda'), false);
  assert.equal(warm.branches.has('llm-worker-rbee-cuda'), false);
  assert.notEqual(warm.branches.get('sd-worker-rbee-cpu'), loaded.snapshot.branches.get('sd-worker-rbee-cpu'), 'the moved branch is read again');
  assert.equal(warm.workers.get('sd-worker-rbee-cpu')?.files.get('README.md')?.body.toString(), '# sd-worker-rbee-cpu\n\nChanged while the service was down.\n');
  assert.equal(warm.branches.get('llm-worker-rbee-cpu'), loaded.snapshot.branches.get('llm-worker-rbee-cpu'), 'an unmoved branch is reused');
  assert.deepEqual(servedBytes(warm), servedBytes(fresh));
});

test('a rejected tip keeps its last good version across a restart', async (t) => {
  const { repo, gitdir, sourceDir, save, load } = await setup(t);
  const good = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, now: NOW });
  writeFileSync(path.join(sourceDir, 'sd-worker-rbee-cpu', 'metadata.json'), '{ not json');
  const pushed = await rewrite(gitdir, sourceDir);
  const afterPush = await buildSnapshot({ repo: pushed, gitUrl: TEST_GIT_URL, previous: good, now: NOW });
  const before = afterPush.branches.get('sd-worker-rbee-cpu');
  assert.ok(before?.rejected, 'the bad push is rejected and the good version kept');
  await save(afterPush);

  const loaded = await load();
  assert.equal(loaded.kind, 'loaded');
  if (loaded.kind !== 'loaded') return;
  const reopened = await openCatalogRepository({ source: gitdir, cacheDir: path.join(gitdir, '..', 'cache') });
  const restarted = await buildSnapshot({ repo: reopened, gitUrl: TEST_GIT_URL, previous: loaded.snapshot, now: NOW });
  const record = restarted.branches.get('sd-worker-rbee-cpu');
  assert.equal(record?.rejected?.oid, before.rejected?.oid);
  assert.equal(record?.commit?.oid, good.branches.get('sd-worker-rbee-cpu')?.commit?.oid, 'the older good commit is still the one served');
  assert.deepEqual(servedBytes(restarted), servedBytes(afterPush));
  // Without the saved state the same refs would drop the worker: the restart really did keep it.
  const forgetful = await buildSnapshot({ repo: reopened, gitUrl: TEST_GIT_URL, now: NOW });
  assert.equal(forgetful.workers.has('sd-worker-rbee-cpu'), false);
  assert.equal(restarted.workers.has('sd-worker-rbee-cpu'), true);
});

async function savedFixture(t: TestContext) {
  const context = await setup(t);
  await context.save(await buildSnapshot({ repo: context.repo, gitUrl: TEST_GIT_URL, now: NOW }));
  const bytes = readFileSync(context.file);
  const headerEnd = 12 + bytes.readUInt32BE(8);
  const header = JSON.parse(bytes.subarray(12, headerEnd).toString()) as { structureBytes: number; blobBytes: number; detailsBytes: number };
  return { ...context, bytes, headerEnd, header };
}

function expectDeletedWithReason(context: { file: string; logger: { lines: LogLine[] } }, code: string): void {
  assert.equal(existsSync(context.file), false, 'the unusable file is deleted');
  const warning = context.logger.lines.find((line) => line.level === 'warn');
  assert.equal(warning?.details.code, code, 'the reason is logged');
  assert.equal(typeof warning?.details.reason, 'string');
}

test('a flipped byte in the structure or the blob part is caught by the checksum before anything is served, logged and the file deleted', async (t) => {
  for (const part of ['structure', 'blobs'] as const) {
    const context = await savedFixture(t);
    const { bytes, headerEnd, header } = context;
    const at = part === 'structure' ? headerEnd + Math.floor(header.structureBytes / 2) : headerEnd + header.structureBytes + Math.floor(header.blobBytes / 2);
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(context.file, bytes);
    expectRejected(await context.load(), 'SAVED_INDEX_CHECKSUM');
    expectDeletedWithReason(context, 'SAVED_INDEX_CHECKSUM');
    assert.equal((await context.load()).kind, 'missing', 'the next start indexes from git');
  }
});

test('hashed on the thread or here, restored bytes are read from the file the load verified, even once another is renamed over it, and go out over a real socket, compressed or not', async (t) => {
  const { repo, save, load, file } = await setup(t);
  const fresh = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, now: NOW });
  await save(fresh);
  const here = await load();
  const onThread = await load({ threadReadMinBytes: 0 });
  if (here.kind !== 'loaded' || onThread.kind !== 'loaded') return assert.fail(`loaded: ${here.kind}, ${onThread.kind}`);
  assert.deepEqual(servedBytes(onThread.snapshot), servedBytes(here.snapshot));
  assert.deepEqual(servedBytes(here.snapshot), servedBytes(fresh));
  // What the saver does: a new file renamed over the path. The loaded snapshots keep reading the one they verified.
  const replacement = `${file}.next`;
  writeFileSync(replacement, Buffer.alloc(readFileSync(file).length, 0x78));
  renameSync(replacement, file);
  assert.deepEqual(servedBytes(here.snapshot), servedBytes(fresh), 'read from the loaded file, not the path');

  const serve = async (snapshot: CatalogSnapshot): Promise<string> => {
    const store = new CatalogStore();
    store.swap(snapshot);
    return (await emptyApp(t, store)).listen({ host: '127.0.0.1', port: 0 });
  };
  const [sharedBase, hereBase] = [await serve(onThread.snapshot), await serve(here.snapshot)];
  const answer = async (base: string, url: string, encoding: string): Promise<{ encoding: string | null; bytes: Buffer }> => {
    const response = await fetch(`${base}${url}`, { headers: { 'accept-encoding': encoding } });
    assert.equal(response.status, 200, url);
    // fetch inflates a gzip or brotli answer itself.
    return { encoding: response.headers.get('content-encoding'), bytes: Buffer.from(await response.arrayBuffer()) };
  };
  for (const id of catalogWorkerIds()) {
    const url = `/v1/workers/${id}/PKGBUILD`;
    const expected: Buffer = here.snapshot.workers.get(id)!.files.get('PKGBUILD')!.body;
    assert.deepEqual((await answer(sharedBase, url, 'identity')).bytes, expected, url);
  }
  for (const encoding of ['identity', 'gzip', 'br']) {
    const sent = await answer(sharedBase, '/v1/workers', encoding);
    assert.equal(sent.encoding, encoding === 'identity' ? null : encoding);
    assert.deepEqual(sent, await answer(hereBase, '/v1/workers', encoding), `the list, ${encoding}`);
  }
});

test('a saved file cut short after it was loaded answers a restored file with a 500 INTERNAL, never short bytes, and the rest keeps serving', async (t) => {
  const { repo, save, load, file } = await setup(t);
  await save(await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, now: NOW }));
  const loaded = await load();
  if (loaded.kind !== 'loaded') return assert.fail(loaded.kind);
  // Damage from outside (the saver never writes in place): everything after the structure is gone.
  truncateSync(file, 12 + readFileSync(file).readUInt32BE(8) + loaded.header.structureBytes);
  const store = new CatalogStore();
  store.swap(loaded.snapshot);
  const app = await emptyApp(t, store);
  const [id] = catalogWorkerIds();
  const pkgbuild = await app.inject({ method: 'GET', url: `/v1/workers/${id}/PKGBUILD` });
  assert.equal(pkgbuild.statusCode, 500);
  assert.equal(pkgbuild.json().error.code, 'INTERNAL');
  const health = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(health.statusCode, 200);
});

test('a flipped byte in the blob part read by the hashing thread is caught before anything is served', async (t) => {
  const context = await savedFixture(t);
  const { bytes, headerEnd, header } = context;
  const at = headerEnd + header.structureBytes + header.blobBytes - 1;
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(context.file, bytes);
  expectRejected(await context.load({ threadReadMinBytes: 0 }), 'SAVED_INDEX_CHECKSUM');
  expectDeletedWithReason(context, 'SAVED_INDEX_CHECKSUM');
});

test('when the hashing thread fails, the blob part is read and hashed here: the same answers, and damage is still caught', async (t) => {
  const failingThread = (): Promise<string[]> => Promise.reject(new Error('the hashing thread could not start'));
  const context = await savedFixture(t);
  const here = await context.load();
  const fallenBack = await context.load({ threadReadMinBytes: 0, hashOnThread: failingThread });
  if (here.kind !== 'loaded' || fallenBack.kind !== 'loaded') return assert.fail(`loaded: ${here.kind}, ${fallenBack.kind}`);
  assert.deepEqual(servedBytes(fallenBack.snapshot), servedBytes(here.snapshot));

  const { bytes, headerEnd, header } = context;
  const at = headerEnd + header.structureBytes + Math.floor(header.blobBytes / 2);
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(context.file, bytes);
  expectRejected(await context.load({ threadReadMinBytes: 0, hashOnThread: failingThread }), 'SAVED_INDEX_CHECKSUM');
  expectDeletedWithReason(context, 'SAVED_INDEX_CHECKSUM');
});

test('a flipped byte in the details part: its chunk is never decoded, and once the background check finds it no parsed field is handed out', async (t) => {
  const checksum = (error: { code?: string }): boolean => error.code === 'SAVED_INDEX_CHECKSUM';
  for (const firstUse of ['background', 'a request'] as const) {
    const context = await savedFixture(t);
    const { bytes, headerEnd, header } = context;
    const at = headerEnd + header.structureBytes + header.blobBytes + Math.floor(header.detailsBytes / 2);
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(context.file, bytes);
    const loaded = await context.load();
    assert.equal(loaded.kind, 'loaded', 'what is served directly is intact');
    if (loaded.kind !== 'loaded') return;
    const records = [...loaded.snapshot.workers.values()].map((served) => served.record);
    if (firstUse === 'a request') {
      const failing = records.filter((record) => {
        try {
          return record.metadata === undefined;
        } catch (error) {
          return checksum(error as { code?: string });
        }
      });
      assert.ok(failing.length > 0, 'the record in the damaged chunk fails to read');
    }
    await assert.rejects(loaded.verifyDetails(async () => undefined), checksum);
    expectDeletedWithReason(context, 'SAVED_INDEX_CHECKSUM');
    for (const record of records) assert.throws(() => record.srcinfo, checksum, `${record.id}: damaged fields are never handed out`);
  }
});

test('parsed fields stay on disk: decoded chunks are kept while reads go on, let go once they stop, and decode the same when read again', async (t) => {
  const keepDecodedMs = 200;
  const { fresh, loaded, released } = await restored(t, keepDecodedMs);
  const records = [...loaded.snapshot.workers.values()].map((served) => served.record);
  const first = records[0]!;
  for (const record of records) assert.deepEqual(record.metadata, fresh.workers.get(record.id)?.record.metadata, `${record.id}, read from the file`);
  assert.equal(first.metadata, first.metadata, 'a chunk is decoded once while it is in use');
  const firstMetadata = new WeakRef(first.metadata as object);
  await new Promise((resolve) => setTimeout(resolve, 3 * keepDecodedMs));
  // A WeakRef keeps its target alive until the job that read it ends: each round reads it in a new one.
  for (let round = 0; round < 3 && firstMetadata.deref() !== undefined; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    fullCollection()();
  }
  assert.equal(firstMetadata.deref(), undefined, 'let go once reads stopped');
  assert.equal(released(), 1, 'and the release was told, once, for the service\'s quiet collection');
  assert.deepEqual(plain(first), plain(fresh.workers.get(first.id)?.record), 'and decoded the same when read again');
  await loaded.verifyDetails(async () => undefined);
});

test('the change log compares restored records by their answers: a swap to re-read records decodes no saved chunk', async (t) => {
  const { repo, fresh, loaded, released, idle } = await restored(t, 50);
  // Every record read again from git: new objects with the restored ones' commits, as after a push of each branch.
  const reread = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, now: NOW });
  const log = new ChangeLog();
  log.record(undefined, loaded.snapshot);
  log.record(loaded.snapshot, reread);
  assert.equal(log.head(), `${log.epoch}.0`, 'same commits, same versions: no event');
  // A control that the log does see changes: a branch dropped and back.
  const refs = await readRepositoryRefs(repo);
  const lessCpu = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, now: NOW, previous: reread, refs: { ...refs, branches: refs.branches.filter((ref) => ref.name !== 'llm-worker-rbee-cpu') } });
  log.record(reread, lessCpu);
  log.record(lessCpu, reread);
  const page = log.since(`${log.epoch}.0`, 10);
  assert.deepEqual(page.kind === 'events' && page.events.map((event) => [event.type, event.id]), [['removed', 'llm-worker-rbee-cpu'], ['added', 'llm-worker-rbee-cpu']]);
  await idle();
  assert.equal(released(), 0, 'no parsed field of a restored record was read, so nothing was decoded to let go');
  assert.equal(loaded.snapshot.workers.get('llm-worker-rbee-cpu')!.record.version, fresh.workers.get('llm-worker-rbee-cpu')!.record.version);
  await idle();
  assert.equal(released(), 1, 'a read does decode, and is let go: the count above could have moved');
});

test('a save of restored records writes what they were, and keeps none of their chunks decoded', async (t) => {
  const { save, load, fresh, loaded, released, idle } = await restored(t, 50);
  // Every chunk encoded again, from the restored records.
  await save(loaded.snapshot);
  await idle();
  assert.equal(released(), 0, 'the save peeked at each chunk and kept none');
  const again = await load();
  if (again.kind !== 'loaded') return assert.fail(again.kind);
  assert.deepEqual(servedBytes(again.snapshot), servedBytes(fresh));
  for (const [id, served] of fresh.workers) assert.deepEqual(plain(again.snapshot.workers.get(id)?.record), plain(served.record), id);
  for (const [name, record] of fresh.branches) assert.deepEqual(plain(again.snapshot.branches.get(name)), plain(record), name);
  assert.equal(loaded.snapshot.workers.get('llm-worker-rbee-cpu')!.record.version, fresh.workers.get('llm-worker-rbee-cpu')!.record.version);
  await idle();
  assert.equal(released(), 1, 'a read keeps its chunk, and is let go: the count above could have moved');
});

test('a save of restored records copies their bytes from the file they were restored from, over which it renames the new one', async (t) => {
  const { repo, file, fresh, loaded, load } = await restored(t);
  const encoded = await encodeSavedIndex({ snapshot: loaded.snapshot, serviceVersion: VERSION, repository: repositoryIdentity(repo), gitUrl: TEST_GIT_URL, now: NOW, chunkBranches: 3 });
  // Every file and answer a place in the loaded file, none read into a buffer: a chunk's lie one after another, one range.
  const kept = encoded.pieces.flatMap((piece) => (!(piece instanceof Uint8Array) && 'kept' in piece ? [piece.kept] : []));
  assert.equal(kept.reduce((sum, range) => sum + range.length, 0), loaded.header.blobBytes);
  assert.equal(kept.length, loaded.layout.chunks.size);
  await saveIndex(file, encoded);
  const again = await load();
  if (again.kind !== 'loaded') return assert.fail(again.kind);
  assert.deepEqual(servedBytes(again.snapshot), servedBytes(fresh));
  assert.deepEqual(servedBytes(loaded.snapshot), servedBytes(fresh), 'the records restored before still read the file they were restored from');
});

test('a peek holds one chunk, the last peeked, and returns a kept chunk when there is one', async (t) => {
  const { fresh, loaded } = await restored(t);
  // One worker from each of two chunks.
  const [a, b] = [...loaded.layout.chunks.values()].flatMap((chunk) => chunk.records.flatMap((record) => record.workers).slice(0, 1));
  assert.ok(a !== undefined && b !== undefined, 'the fixture spans two chunks');
  const peeked = peekSavedWorker(a);
  assert.ok(peeked !== undefined);
  assert.deepEqual(peeked.metadata, fresh.workers.get(a.id)?.record.metadata);
  assert.equal(peekSavedWorker(a), peeked, 'held while it is the last peeked');
  peekSavedWorker(b);
  const again = peekSavedWorker(a);
  assert.notEqual(again, peeked, 'let go once another chunk was peeked');
  assert.equal(a.metadata, again?.metadata, 'a read keeps the peeked chunk rather than decode it again');
  peekSavedWorker(b);
  assert.equal(peekSavedWorker(a)?.metadata, a.metadata, 'and a peek returns the kept one');
  assert.equal(peekSavedWorker(fresh.workers.get(a.id)!.record), undefined, 'a record not restored has nothing saved to peek at');
  await loaded.verifyDetails(async () => undefined);
});

test('a truncated file, a damaged header and a file that is not a saved index are rejected', async (t) => {
  const cases: Array<[string, (bytes: Buffer, headerEnd: number) => Buffer]> = [
    ['truncated', (bytes) => bytes.subarray(0, bytes.length - 100)],
    ['appended to', (bytes) => Buffer.concat([bytes, Buffer.from('x')])],
    ['cut in its header', (bytes) => bytes.subarray(0, 20)],
    ['header not JSON', (bytes, headerEnd) => Buffer.concat([bytes.subarray(0, 12), Buffer.alloc(headerEnd - 12, 0x7b), bytes.subarray(headerEnd)])],
    ['other magic', (bytes) => Buffer.concat([Buffer.from('NOTINDEX'), bytes.subarray(8)])],
    ['empty', () => Buffer.alloc(0)],
  ];
  for (const [name, damage] of cases) {
    const context = await savedFixture(t);
    writeFileSync(context.file, damage(context.bytes, context.headerEnd));
    const loaded = await context.load();
    expectRejected(loaded, 'SAVED_INDEX_MALFORMED');
    expectDeletedWithReason(context, 'SAVED_INDEX_MALFORMED');
    assert.ok(name);
  }
});

test('a saved index from another service version or format is rejected and deleted', async (t) => {
  const context = await savedFixture(t);
  expectRejected(await context.load({ serviceVersion: '9.0.0' }), 'SAVED_INDEX_VERSION');
  expectDeletedWithReason(context, 'SAVED_INDEX_VERSION');

  const other = await savedFixture(t);
  const header = JSON.parse(other.bytes.subarray(12, other.headerEnd).toString()) as Record<string, unknown>;
  // Same length, so only the format differs.
  const rewritten = Buffer.from(JSON.stringify({ ...header, format: 7 }));
  assert.equal(rewritten.length, other.headerEnd - 12);
  writeFileSync(other.file, Buffer.concat([other.bytes.subarray(0, 12), rewritten, other.bytes.subarray(other.headerEnd)]));
  expectRejected(await other.load(), 'SAVED_INDEX_VERSION');
  expectDeletedWithReason(other, 'SAVED_INDEX_VERSION');
});

test('a saved index for another repository or clone URL is ignored and left alone', async (t) => {
  const context = await savedFixture(t);
  expectRejected(await context.load({ gitUrl: 'https://elsewhere.test/catalog.git' }), 'SAVED_INDEX_OTHER_REPOSITORY');
  expectRejected(await context.load({ repository: 'mirror https://elsewhere.test/catalog.git' }), 'SAVED_INDEX_OTHER_REPOSITORY');
  assert.equal(existsSync(context.file), true);
  assert.equal((await context.load()).kind, 'loaded', 'its own repository still loads it');
  assert.notEqual(
    savedIndexPath({ dir: '/x', repository: 'local /a', gitUrl: TEST_GIT_URL }),
    savedIndexPath({ dir: '/x', repository: 'local /b', gitUrl: TEST_GIT_URL }),
    'each repository has its own file',
  );
});

test('no saved index is simply missing', async (t) => {
  const context = await setup(t);
  assert.deepEqual(await context.load(), { kind: 'missing' });
  assert.equal(context.logger.lines.length, 0);
});

test('copied pieces pass through one small reused buffer and the file is byte for byte a full save', async (t) => {
  const { repo, file } = await setup(t);
  const repository = repositoryIdentity(repo);
  const options = { serviceVersion: VERSION, repository, gitUrl: TEST_GIT_URL, now: NOW, chunkBranches: 1 };
  const before = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL, now: NOW });
  const first = await encodeSavedIndex({ snapshot: before, ...options });
  await saveIndex(file, first);

  const after = snapshotWithout(before, ['sd-worker-rbee-cpu']);
  const incremental = await encodeSavedIndex({ snapshot: after, ...options, previous: first.layout });
  assert.ok(incremental.copiedChunks >= 2, `chunks copied from the first file (${incremental.copiedChunks})`);
  const copied = incremental.pieces.filter((piece) => !(piece instanceof Uint8Array)).reduce((sum, piece) => sum + ('copy' in piece ? piece.copy.length : 0), 0);
  // 7 bytes: the buffer is filled and written again hundreds of times, across every copied piece's edges.
  assert.ok(copied > 100 * 7, `${copied} bytes to copy`);
  const second = `${file}.second`;
  const source = await open(file, 'r');
  try {
    await saveIndex(second, incremental, source, { copyBufferBytes: 7 });
  } finally {
    await source.close();
  }
  const full = await encodeSavedIndex({ snapshot: after, ...options });
  assert.deepEqual(readFileSync(second), Buffer.concat(full.pieces as Uint8Array[]));
});
