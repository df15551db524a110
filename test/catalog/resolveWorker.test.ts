// resolveWorker over the fixture catalog, checked against the fixture files
// themselves (metadata.json and the .SRCINFO arch lines read from disk), and
// over snapshots derived from it where one record is changed to reach the
// cases the fixtures do not hold (arch = any, no implementation, a tie).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assembleSnapshot } from '../../src/catalog/assembleSnapshot.js';
import type { WorkerRecord } from '../../src/catalog/branchRecord.js';
import { metadataVocabulary } from '../../src/catalog/metadataVocabulary.js';
import { defaultBackendOrder, resolveWorker, type Resolution } from '../../src/catalog/resolveWorker.js';
import type { CatalogSnapshot, ServedWorker } from '../../src/catalog/snapshot.js';
import { catalogApp, catalogWorkerIds } from '../helpers/catalogApp.js';
import { fixtureFile, fixtureMetadata } from '../helpers/fixtureFiles.js';

const LLM = 'llm-worker-rbee';

interface FixtureFacts {
  id: string;
  implementation: string | undefined;
  workerType: string;
  platforms: string[];
  architectures: string[];
  requiresLicense: boolean;
  srcinfoArch: string[];
}

function fixtureFacts(id: string): FixtureFacts {
  const metadata = fixtureMetadata(id);
  const srcinfoArch = fixtureFile(id, '.SRCINFO').toString('utf8').split('\n')
    .map((line) => line.trim()).filter((line) => line.startsWith('arch = ')).map((line) => line.slice('arch = '.length));
  return {
    id,
    implementation: metadata.implementation as string | undefined,
    workerType: metadata.worker_type as string,
    platforms: metadata.platforms as string[],
    architectures: metadata.architectures as string[],
    requiresLicense: metadata.requires_license === true,
    srcinfoArch,
  };
}

/** Every ordered selection of distinct backends, the empty one left out. */
function orderedSelections(items: readonly string[]): string[][] {
  const out: string[][] = [];
  const walk = (prefix: string[], rest: readonly string[]): void => {
    for (const item of rest) {
      const next = [...prefix, item];
      out.push(next);
      walk(next, rest.filter((other) => other !== item));
    }
  };
  walk([], items);
  return out;
}

const codesOf = (reasons: readonly string[]): string[] => reasons.map((reason) => reason.split(':')[0] ?? '');
const verdictOf = (resolution: Resolution, id: string) => {
  const verdict = resolution.candidates.find((candidate) => candidate.id === id);
  assert.ok(verdict, `${id} is a candidate`);
  return verdict;
};

/** The snapshot with some records changed, as a push would have changed them. */
function withRecords(snapshot: CatalogSnapshot, changes: Record<string, (record: WorkerRecord) => WorkerRecord>): CatalogSnapshot {
  const workers = new Map<string, ServedWorker>();
  for (const [id, served] of snapshot.workers) {
    const change = changes[id];
    workers.set(id, change === undefined ? served : { ...served, record: change(served.record) });
  }
  return assembleSnapshot({ builtAt: snapshot.builtAt, defaultBranch: undefined, branches: snapshot.branches, workers });
}
const withMetadata = (patch: Record<string, unknown>, drop: string[] = []) => (record: WorkerRecord): WorkerRecord => {
  const metadata: Record<string, unknown> = { ...record.metadata, ...patch };
  for (const key of drop) delete metadata[key];
  return { ...record, metadata: metadata as unknown as WorkerRecord['metadata'] };
};
const withPackageArch = (arch: string[]) => (record: WorkerRecord): WorkerRecord =>
  ({ ...record, fields: new Map([...record.fields, ['arch', arch]]) });

test('for every host and accel order, the choice is what the fixture files say it must be', async (t) => {
  const { snapshot } = await catalogApp(t);
  const { platforms, architectures, backends } = metadataVocabulary();
  const facts = catalogWorkerIds().map(fixtureFacts);
  const families = [...new Set(facts.map((fact) => fact.implementation).filter((name) => name !== undefined))];
  assert.deepEqual(families.sort(), [LLM, 'sd-worker-rbee']);
  let chosen = 0;
  for (const worker of families) {
    const members = facts.filter((fact) => fact.implementation === worker);
    for (const platform of platforms) {
      for (const arch of architectures) {
        for (const accel of [undefined, ...orderedSelections(backends)]) {
          for (const free of [false, true]) {
            const order = accel ?? defaultBackendOrder();
            const fits = members.filter((fact) => fact.platforms.includes(platform) && fact.architectures.includes(arch)
              && (fact.srcinfoArch.includes(arch) || fact.srcinfoArch.includes('any'))
              && order.includes(fact.workerType) && !(free && fact.requiresLicense));
            fits.sort((a, b) => order.indexOf(a.workerType) - order.indexOf(b.workerType)
              || Number(a.requiresLicense) - Number(b.requiresLicense) || (a.id < b.id ? -1 : 1));
            const resolution = resolveWorker(snapshot, { worker, platform, arch, accel, free });
            const label = `${worker} ${platform}/${arch} accel=${accel?.join(',') ?? '(default)'} free=${free}`;
            assert.equal(resolution.chosen?.record.id, fits[0]?.id, label);
            assert.deepEqual(resolution.candidates.map((candidate) => candidate.id), members.map((fact) => fact.id), label);
            assert.deepEqual(resolution.candidates.filter((candidate) => candidate.matched).map((candidate) => candidate.id).sort(), fits.map((fact) => fact.id).sort(), label);
            for (const candidate of resolution.candidates) assert.equal(candidate.matched, candidate.reasons.length === 0, label);
            if (fits.length > 0) chosen += 1;
          }
        }
      }
    }
  }
  assert.ok(chosen > 100, `the sweep reaches many successful choices (${chosen})`);
});

test("the issue's example picks CUDA, and the order of accel decides", async (t) => {
  const { snapshot } = await catalogApp(t);
  const host = { worker: LLM, platform: 'linux', arch: 'x86_64' };
  const cudaFirst = resolveWorker(snapshot, { ...host, accel: ['cuda', 'cpu'] });
  assert.equal(cudaFirst.chosen?.record.id, 'llm-worker-rbee-cuda');
  assert.match(cudaFirst.reason, /llm-worker-rbee-premium/, 'the reason names the licensed worker it passed over');
  assert.equal(resolveWorker(snapshot, { ...host, accel: ['cpu', 'cuda'] }).chosen?.record.id, 'llm-worker-rbee-cpu');
  assert.equal(resolveWorker(snapshot, { ...host, accel: ['rocm', 'cuda'] }).chosen?.record.id, 'llm-worker-rbee-rocm');
  // Without accel: GPUs first.
  assert.deepEqual(defaultBackendOrder(), ['cuda', 'rocm', 'metal', 'cpu']);
  assert.equal(resolveWorker(snapshot, host).chosen?.record.id, 'llm-worker-rbee-cuda');
  assert.equal(resolveWorker(snapshot, { worker: LLM, platform: 'macos', arch: 'aarch64' }).chosen?.record.id, 'llm-worker-rbee-metal');
  assert.equal(resolveWorker(snapshot, { worker: 'sd-worker-rbee', platform: 'macos', arch: 'aarch64', accel: ['cpu'] }).chosen?.record.id, 'sd-worker-rbee-cpu');
});

test('the default order covers every backend the schema allows', () => {
  assert.deepEqual([...defaultBackendOrder()].sort(), [...metadataVocabulary().backends].sort());
});

test('each failure has its own reason code', async (t) => {
  const { snapshot } = await catalogApp(t);
  const metal = verdictOf(resolveWorker(snapshot, { worker: LLM, platform: 'linux', arch: 'x86_64', accel: ['cuda'] }), 'llm-worker-rbee-metal');
  assert.deepEqual(codesOf(metal.reasons), ['PLATFORM_UNSUPPORTED', 'ARCH_UNSUPPORTED', 'PACKAGE_ARCH_UNSUPPORTED', 'BACKEND_NOT_ACCEPTED']);
  assert.equal(metal.matched, false);

  const free = resolveWorker(snapshot, { worker: LLM, platform: 'linux', arch: 'aarch64', accel: ['cuda'], free: true });
  assert.equal(free.chosen, undefined, 'the only CUDA build for aarch64 is the licensed one');
  assert.deepEqual(codesOf(verdictOf(free, 'llm-worker-rbee-premium').reasons), ['LICENSE_REQUIRED']);
  assert.deepEqual(codesOf(verdictOf(free, 'llm-worker-rbee-cuda').reasons), ['ARCH_UNSUPPORTED', 'PACKAGE_ARCH_UNSUPPORTED']);
  assert.equal(resolveWorker(snapshot, { worker: LLM, platform: 'linux', arch: 'aarch64', accel: ['cuda'] }).chosen?.record.id, 'llm-worker-rbee-premium');

  // metadata.json may promise an architecture the package does not build for: the .SRCINFO decides.
  const promised = withRecords(snapshot, { 'llm-worker-rbee-rocm': withMetadata({ architectures: ['x86_64', 'aarch64'] }) });
  const rocm = resolveWorker(promised, { worker: LLM, platform: 'linux', arch: 'aarch64', accel: ['rocm'] });
  assert.equal(rocm.chosen, undefined);
  assert.deepEqual(codesOf(verdictOf(rocm, 'llm-worker-rbee-rocm').reasons), ['PACKAGE_ARCH_UNSUPPORTED']);
  // `arch = any` allows every architecture.
  const anyArch = withRecords(snapshot, { 'llm-worker-rbee-rocm': (record) => withPackageArch(['any'])(withMetadata({ architectures: ['x86_64', 'aarch64'] })(record)) });
  assert.equal(resolveWorker(anyArch, { worker: LLM, platform: 'linux', arch: 'aarch64', accel: ['rocm'] }).chosen?.record.id, 'llm-worker-rbee-rocm');
});

test('ties: a free worker before a licensed one, then the id', async (t) => {
  const { snapshot } = await catalogApp(t);
  const host = { worker: LLM, platform: 'linux', arch: 'x86_64', accel: ['cuda'] };
  // The licensed worker sorts first by id; the free one still wins.
  const swapped = withRecords(snapshot, {
    'llm-worker-rbee-cuda': withMetadata({ requires_license: true }),
    'llm-worker-rbee-premium': withMetadata({}, ['requires_license']),
  });
  assert.equal(resolveWorker(swapped, host).chosen?.record.id, 'llm-worker-rbee-premium');
  // Both free: the id decides.
  const bothFree = withRecords(snapshot, { 'llm-worker-rbee-premium': withMetadata({}, ['requires_license']) });
  const tie = resolveWorker(bothFree, host);
  assert.equal(tie.chosen?.record.id, 'llm-worker-rbee-cuda');
  assert.match(tie.reason, /the id breaks the tie/);
});

test('candidates: the family by implementation, by <family>-<backend> ids without one, and a worker id by itself', async (t) => {
  const { snapshot } = await catalogApp(t);
  const host = { platform: 'linux', arch: 'x86_64' };
  const ids = (snap: CatalogSnapshot, worker: string): string[] => resolveWorker(snap, { ...host, worker }).candidates.map((candidate) => candidate.id);

  const direct = resolveWorker(snapshot, { ...host, worker: 'llm-worker-rbee-cpu', accel: ['cuda', 'cpu'] });
  assert.deepEqual(direct.candidates.map((candidate) => candidate.id), ['llm-worker-rbee-cpu']);
  assert.equal(direct.chosen?.record.id, 'llm-worker-rbee-cpu');

  const unknown = resolveWorker(snapshot, { ...host, worker: 'no-such-family' });
  assert.deepEqual(unknown.candidates, []);
  assert.equal(unknown.chosen, undefined);

  const noImplementation = withRecords(snapshot, { 'llm-worker-rbee-rocm': withMetadata({}, ['implementation']) });
  assert.ok(ids(noImplementation, LLM).includes('llm-worker-rbee-rocm'), '<family>-<worker_type> joins the family');
  const premiumWithout = withRecords(snapshot, { 'llm-worker-rbee-premium': withMetadata({}, ['implementation']) });
  assert.ok(!ids(premiumWithout, LLM).includes('llm-worker-rbee-premium'), 'premium is not a backend name: no family from the id');
  const elsewhere = withRecords(snapshot, { 'llm-worker-rbee-cuda': withMetadata({ implementation: 'other-worker' }) });
  assert.ok(!ids(elsewhere, LLM).includes('llm-worker-rbee-cuda'), 'a declared implementation wins over the id');
  assert.deepEqual(ids(elsewhere, 'other-worker'), ['llm-worker-rbee-cuda']);
});
