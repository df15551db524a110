// The change log over real snapshots of the fixture repository: branches
// dropped from and returned to the indexed refs are removed and added
// workers; the log stays within its capacity and its cursors say so.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { ChangeLog, diffWorkers } from '../../src/catalog/changeLog.js';
import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';
import { readRepositoryRefs } from '../../src/git/readRepositoryRefs.js';
import type { RepositoryRefs } from '../../src/git/types.js';
import { catalogWorkerIds, fixtureRepository, TEST_GIT_URL } from '../helpers/catalogApp.js';

async function snapshots(t: Parameters<typeof fixtureRepository>[0]) {
  const { repo } = await fixtureRepository(t);
  const refs = await readRepositoryRefs(repo);
  const full = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });
  /** The catalog without the named branches, reusing `previous` for the rest. */
  const without = (previous: CatalogSnapshot, names: readonly string[], at = '2026-05-01T00:00:00.000Z'): Promise<CatalogSnapshot> => {
    const subset: RepositoryRefs = { defaultBranch: refs.defaultBranch, branches: refs.branches.filter((ref) => !names.includes(ref.name)) };
    return buildSnapshot({ repo, gitUrl: TEST_GIT_URL, previous, refs: subset, now: () => new Date(at) });
  };
  return { repo, full, without };
}

test('diffWorkers: dropped branches are removed, returned ones added, reused records unchanged, in id order', async (t) => {
  const { repo, full, without } = await snapshots(t);
  const less = await without(full, ['sd-worker-rbee-cpu', 'llm-worker-rbee-cuda']);
  const removed = diffWorkers(full.workers, less.workers, 'T');
  assert.deepEqual(removed.map((event) => [event.type, event.id]), [['removed', 'llm-worker-rbee-cuda'], ['removed', 'sd-worker-rbee-cpu']]);
  const cuda = full.workers.get('llm-worker-rbee-cuda')!.record;
  assert.deepEqual(removed[0], { type: 'removed', id: cuda.id, version: cuda.version, commit: cuda.commit.oid, at: 'T' });
  assert.deepEqual(diffWorkers(less.workers, full.workers, 'T').map((event) => [event.type, event.id]), [['added', 'llm-worker-rbee-cuda'], ['added', 'sd-worker-rbee-cpu']]);
  // Every record re-read from scratch: new objects, same commits and versions, so no event.
  const reread = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });
  assert.notEqual(reread.workers.get('llm-worker-rbee-cpu')!.record, full.workers.get('llm-worker-rbee-cpu')!.record);
  assert.deepEqual(diffWorkers(full.workers, reread.workers, 'T'), []);
});

test('the first snapshot is the baseline; each later swap appends its events; cursors mark snapshots', async (t) => {
  const { full, without } = await snapshots(t);
  const log = new ChangeLog({ epoch: '0123456789abcdef' });
  log.record(undefined, full);
  assert.equal(log.cursorOf(full), '0123456789abcdef.0');
  assert.equal(log.head(), '0123456789abcdef.0');
  const less = await without(full, ['sd-worker-rbee-rocm']);
  log.record(full, less);
  assert.equal(log.cursorOf(less), '0123456789abcdef.1');
  const page = log.since('0123456789abcdef.0', 100);
  assert.equal(page.kind, 'events');
  if (page.kind !== 'events') return;
  assert.deepEqual(page.events.map((event) => [event.type, event.id, event.at]), [['removed', 'sd-worker-rbee-rocm', '2026-05-01T00:00:00.000Z']]);
  assert.deepEqual(page.json.map((text) => JSON.parse(text)), page.events);
  assert.equal(page.cursor, log.cursorOf(less));
  assert.equal(page.more, false);
  // The same snapshot swapped in again changes nothing.
  log.record(less, less);
  assert.equal(log.head(), '0123456789abcdef.1');
});

test('the log keeps its capacity: older cursors expire, others and malformed ones are told apart', async (t) => {
  const { full, without } = await snapshots(t);
  const log = new ChangeLog({ capacity: 3, epoch: 'fedcba9876543210' });
  log.record(undefined, full);
  const empty = await without(full, catalogWorkerIds());
  log.record(full, empty);
  assert.equal(log.head(), `fedcba9876543210.${catalogWorkerIds().length}`);
  assert.deepEqual(log.since('fedcba9876543210.0', 10), { kind: 'expired' });
  const start = catalogWorkerIds().length - 3;
  const kept = log.since(`fedcba9876543210.${start}`, 10);
  assert.equal(kept.kind, 'events');
  if (kept.kind === 'events') assert.deepEqual(kept.events.map((event) => event.id), catalogWorkerIds().slice(-3));
  const two = log.since(`fedcba9876543210.${start}`, 2);
  assert.equal(two.kind === 'events' && two.more, true);
  assert.deepEqual(log.since(`0000000000000000.${start}`, 10), { kind: 'expired' }, 'another process');
  assert.deepEqual(log.since(`fedcba9876543210.${catalogWorkerIds().length + 1}`, 10), { kind: 'invalid' }, 'a position never reached');
  for (const cursor of ['', 'x', 'fedcba9876543210', 'fedcba9876543210.', 'fedcba9876543210.1.2', 'FEDCBA9876543210.1', 'fedcba9876543210.1e3']) {
    assert.deepEqual(log.since(cursor, 10), { kind: 'invalid' }, cursor);
  }
});

test('ChangeLog refuses an epoch or capacity it could not keep its promises with', () => {
  assert.throws(() => new ChangeLog({ epoch: 'short' }));
  assert.throws(() => new ChangeLog({ capacity: 0 }));
  assert.notEqual(new ChangeLog().epoch, new ChangeLog().epoch, 'random per log');
});

test('a patch from the previous snapshot compares only its branches\' workers, with the events a full diff gives', async (t) => {
  const { full, without } = await snapshots(t);
  const names = ['sd-worker-rbee-cpu', 'llm-worker-rbee-cuda'];
  const less = await without(full, names);
  const events = (log: ChangeLog): unknown => {
    const page = log.since(`${log.epoch}.0`, 100);
    return page.kind === 'events' ? page.events : page;
  };
  const logOf = (record: (log: ChangeLog) => void): ChangeLog => {
    const log = new ChangeLog();
    log.record(undefined, full);
    record(log);
    return log;
  };
  const patched = logOf((log) => log.record(full, less, { from: full, branches: names }));
  assert.deepEqual(events(patched), events(logOf((log) => log.record(full, less))));
  assert.deepEqual(diffWorkers(full.workers, less.workers, 'T').length, 2);

  // Only the named branches are looked at: naming one of the two reports one.
  const narrowed = logOf((log) => log.record(full, less, { from: full, branches: ['sd-worker-rbee-cpu'] }));
  assert.deepEqual((events(narrowed) as Array<{ id: string }>).map((event) => event.id), ['sd-worker-rbee-cpu']);
  // A patch made from another snapshot says nothing about this swap: everything is compared.
  const stale = logOf((log) => log.record(full, less, { from: less, branches: ['sd-worker-rbee-cpu'] }));
  assert.deepEqual(events(stale), events(patched));
});
