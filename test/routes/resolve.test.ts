import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { catalogApp, catalogWorkerIds, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { errorAnswer } from '../helpers/errorAnswer.js';
import { expectErrors } from '../helpers/expectErrors.js';
import { fixtureMetadata, fixtureVersion } from '../helpers/fixtureFiles.js';
import { openApiValidator } from '../helpers/openApiValidator.js';
import { snapshotWithout } from '../helpers/snapshotWithout.js';
import { git } from '../helpers/nativeGit.js';
import { makeTempDir } from '../helpers/tempDir.js';

interface Candidate { id: string; workerType: string; requiresLicense: boolean; matched: boolean; reasons: string[] }
interface Resolved {
  worker: string;
  version: string;
  workerType: string;
  entry: { id: string };
  reason: string;
  query: { worker: string; platform: string; arch: string; accel: string[]; free: boolean };
  candidates: Candidate[];
}
interface NoMatch { error: { code: string; message: string }; query: Resolved['query']; candidates: Candidate[] }

const EXAMPLE = '/v1/resolve?worker=llm-worker-rbee&platform=linux&arch=x86_64&accel=cuda,cpu';
const family = (name: string): string[] => catalogWorkerIds().filter((id) => fixtureMetadata(id).implementation === name);
const codesOf = (reasons: readonly string[]): string[] => reasons.map((reason) => reason.split(':')[0] ?? '');

test("the issue's example answers the CUDA worker, its v1 entry, and why", async (t) => {
  const { app } = await catalogApp(t);
  const response = await app.inject(EXAMPLE);
  assert.equal(response.statusCode, 200);
  assert.match(response.headers['content-type'] as string, /^application\/json/);
  const body = response.json() as Resolved;
  assert.equal(body.worker, 'llm-worker-rbee-cuda');
  assert.equal(body.version, fixtureVersion('llm-worker-rbee-cuda'));
  assert.equal(body.workerType, fixtureMetadata('llm-worker-rbee-cuda').worker_type);
  assert.deepEqual(body.entry, (await app.inject('/v1/workers/llm-worker-rbee-cuda')).json());
  assert.deepEqual(body.query, { worker: 'llm-worker-rbee', platform: 'linux', arch: 'x86_64', accel: ['cuda', 'cpu'], free: false });
  assert.deepEqual(body.candidates.map((candidate) => candidate.id), family('llm-worker-rbee'));
  const matched = body.candidates.filter((candidate) => candidate.matched).map((candidate) => candidate.id);
  assert.deepEqual(matched, ['llm-worker-rbee-cpu', 'llm-worker-rbee-cuda', 'llm-worker-rbee-premium']);
  assert.ok(body.reason.length > 0);
});

test('the order of accel decides; free=true leaves the licensed worker out; a worker id resolves to itself', async (t) => {
  const { app } = await catalogApp(t);
  const chosen = async (query: string): Promise<string> => {
    const response = await app.inject(`/v1/resolve?${query}`);
    assert.equal(response.statusCode, 200, query);
    return (response.json() as Resolved).worker;
  };
  assert.equal(await chosen('worker=llm-worker-rbee&platform=linux&arch=x86_64&accel=cpu,cuda'), 'llm-worker-rbee-cpu');
  assert.equal(await chosen('worker=llm-worker-rbee&platform=linux&arch=x86_64&accel=metal,rocm,cpu'), 'llm-worker-rbee-rocm');
  assert.equal(await chosen('worker=llm-worker-rbee&platform=macos&arch=aarch64'), 'llm-worker-rbee-metal');
  assert.equal(await chosen('worker=sd-worker-rbee&platform=windows&arch=x86_64&accel=rocm,cuda'), 'sd-worker-rbee-cuda');
  assert.equal(await chosen('worker=llm-worker-rbee&platform=linux&arch=aarch64&accel=cuda'), 'llm-worker-rbee-premium');
  assert.equal(await chosen('worker=llm-worker-rbee-cpu&platform=windows&arch=x86_64'), 'llm-worker-rbee-cpu');

  const free = await app.inject('/v1/resolve?worker=llm-worker-rbee&platform=linux&arch=aarch64&accel=cuda&free=true');
  assert.equal(free.statusCode, 404);
  const premium = (free.json() as NoMatch).candidates.find((candidate) => candidate.id === 'llm-worker-rbee-premium');
  assert.deepEqual(codesOf(premium?.reasons ?? []), ['LICENSE_REQUIRED']);
});

test('404 NO_MATCHING_WORKER lists every candidate with its reasons', async (t) => {
  const { app } = await catalogApp(t);
  const url = '/v1/resolve?worker=llm-worker-rbee&platform=macos&arch=x86_64&accel=cuda,rocm';
  const response = await app.inject(url);
  assert.equal(response.statusCode, 404);
  assert.equal(errorAnswer(url, response).code, 'NO_MATCHING_WORKER');
  const body = response.json() as NoMatch;
  assert.deepEqual(body.candidates.map((candidate) => candidate.id), family('llm-worker-rbee'));
  const byId = Object.fromEntries(body.candidates.map((candidate) => [candidate.id, codesOf(candidate.reasons)]));
  for (const candidate of body.candidates) {
    assert.equal(candidate.matched, false);
    const facts = fixtureMetadata(candidate.id);
    // The oracle: each fixture's own metadata says which reasons must be given.
    assert.equal(byId[candidate.id]?.includes('PLATFORM_UNSUPPORTED'), !(facts.platforms as string[]).includes('macos'), candidate.id);
    assert.equal(byId[candidate.id]?.includes('ARCH_UNSUPPORTED'), !(facts.architectures as string[]).includes('x86_64'), candidate.id);
    assert.equal(byId[candidate.id]?.includes('BACKEND_NOT_ACCEPTED'), !['cuda', 'rocm'].includes(facts.worker_type as string), candidate.id);
  }
  assert.deepEqual(byId['llm-worker-rbee-cpu'], ['BACKEND_NOT_ACCEPTED']);
  assert.deepEqual(byId['llm-worker-rbee-metal'], ['ARCH_UNSUPPORTED', 'PACKAGE_ARCH_UNSUPPORTED', 'BACKEND_NOT_ACCEPTED']);
  assert.deepEqual(body.query.accel, ['cuda', 'rocm']);

  const unknown = await app.inject('/v1/resolve?worker=no-such-worker&platform=linux&arch=x86_64');
  assert.equal(unknown.statusCode, 404);
  assert.equal(errorAnswer('/v1/resolve', unknown).code, 'WORKER_NOT_FOUND');
});

test('bad queries answer 400 with a code', async (t) => {
  const { app } = await catalogApp(t);
  const schemaRejects = [
    'platform=linux&arch=x86_64',
    'worker=llm-worker-rbee&arch=x86_64',
    'worker=llm-worker-rbee&platform=linux',
    'worker=llm-worker-rbee&platform=freebsd&arch=x86_64',
    'worker=llm-worker-rbee&platform=linux&arch=i686',
    'worker=llm-worker-rbee&platform=Linux&arch=x86_64',
    'worker=Bad_Worker!&platform=linux&arch=x86_64',
    `worker=${'x'.repeat(101)}&platform=linux&arch=x86_64`,
    'worker=llm-worker-rbee&platform=linux&arch=x86_64&accel=',
    'worker=llm-worker-rbee&platform=linux&arch=x86_64&accel=cuda,,cpu',
    'worker=llm-worker-rbee&platform=linux&arch=x86_64&accel=CUDA',
    `worker=llm-worker-rbee&platform=linux&arch=x86_64&accel=${'cpu,'.repeat(60)}cpu`,
    'worker=llm-worker-rbee&platform=linux&arch=x86_64&free=maybe',
  ];
  // Unknown backends pass the schema's shape and are refused by the route: the same code.
  const routeRejects = ['worker=llm-worker-rbee&platform=linux&arch=x86_64&accel=cuda,vulkan', 'worker=llm-worker-rbee&platform=linux&arch=x86_64&accel=gpu'];
  await expectErrors(app, [...schemaRejects, ...routeRejects].map((query) => [`/v1/resolve?${query}`, 400, 'INVALID_QUERY'] as const));
});

test('ETags: 304 on a match (lists, *, weak), one tag per normalised query, a new tag when the catalog changes', async (t) => {
  const { app, store, fixture } = await catalogApp(t);
  const first = await app.inject(EXAMPLE);
  const etag = first.headers.etag as string;
  assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
  assert.equal(first.headers['last-modified'], undefined, 'a deleted candidate changes the answer without a newer commit');
  for (const header of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
    const again = await app.inject({ url: EXAMPLE, headers: { 'if-none-match': header } });
    assert.equal(again.statusCode, 304, header);
    assert.equal(again.body, '');
  }
  assert.equal((await app.inject({ url: EXAMPLE, headers: { 'if-none-match': '"nope"' } })).statusCode, 200);

  // Equivalent spellings share an answer; a different query has its own tag.
  const spelled = await app.inject('/v1/resolve?worker=llm-worker-rbee&platform=linux&arch=x86_64&accel=cuda,cpu,cuda&free=false&ignored=1');
  assert.equal(spelled.headers.etag, etag);
  assert.equal(spelled.body, first.body);
  const defaults = await app.inject('/v1/resolve?worker=llm-worker-rbee&platform=linux&arch=x86_64');
  assert.equal(defaults.headers.etag, (await app.inject('/v1/resolve?worker=llm-worker-rbee&platform=linux&arch=x86_64&accel=cuda,rocm,metal,cpu')).headers.etag);
  const otherTags = new Set([etag]);
  for (const query of ['accel=cpu,cuda', 'accel=cuda', 'accel=cuda,cpu&free=true']) {
    const response = await app.inject(`/v1/resolve?worker=llm-worker-rbee&platform=linux&arch=x86_64&${query}`);
    otherTags.add(response.headers.etag as string);
  }
  assert.equal(otherTags.size, 4);

  // A push to a candidate's branch (not the chosen one) gives a new snapshot and a new tag.
  const work = path.join(await makeTempDir(t, 'rbee-resolve'), 'work');
  await git(['clone', '--quiet', '-b', 'llm-worker-rbee-rocm', fixture.gitdir, work]);
  writeFileSync(path.join(work, 'README.md'), '# moved\n');
  await git(['-C', work, 'commit', '--quiet', '-am', 'move rocm']);
  await git(['-C', work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/llm-worker-rbee-rocm']);
  store.swap(await buildSnapshot({ repo: fixture.repo, gitUrl: TEST_GIT_URL, previous: store.current }));
  const moved = await app.inject({ url: EXAMPLE, headers: { 'if-none-match': etag } });
  assert.equal(moved.statusCode, 200);
  assert.notEqual(moved.headers.etag, etag);
  assert.equal((moved.json() as Resolved).worker, 'llm-worker-rbee-cuda');
});

test('the ETag follows what is served: a candidate gone on equal branch tips changes it, the choice unchanged', async (t) => {
  const { app, store, snapshot } = await catalogApp(t);
  const first = await app.inject(EXAMPLE);
  const etag = first.headers.etag as string;
  assert.ok((first.json() as Resolved).candidates.some((candidate) => candidate.id === 'llm-worker-rbee-rocm'));
  store.swap(snapshotWithout(snapshot, ['llm-worker-rbee-rocm']));
  const after = await app.inject({ url: EXAMPLE, headers: { 'if-none-match': etag } });
  assert.equal(after.statusCode, 200, 'the candidates changed, so the answer did');
  assert.notEqual(after.headers.etag, etag);
  const body = after.json() as Resolved;
  assert.equal(body.worker, 'llm-worker-rbee-cuda');
  assert.ok(!body.candidates.some((candidate) => candidate.id === 'llm-worker-rbee-rocm'));
});

test('/openapi.json documents the resolve query and answers', async (t) => {
  const { app } = await catalogApp(t);
  const document = (await app.inject('/openapi.json')).json() as { paths: Record<string, { get?: { parameters?: { name: string; required?: boolean }[]; responses?: Record<string, unknown> } }> };
  const operation = document.paths['/v1/resolve']?.get;
  assert.ok(operation, '/v1/resolve is documented');
  const parameters = Object.fromEntries((operation.parameters ?? []).map((parameter) => [parameter.name, parameter.required === true]));
  assert.deepEqual(parameters, { worker: true, platform: true, arch: true, accel: false, free: false });
  assert.deepEqual(Object.keys(operation.responses ?? {}).sort(), ['200', '400', '404', '503']);

  const problems = await openApiValidator(app);
  assert.deepEqual(problems('/v1/resolve', 200, (await app.inject(EXAMPLE)).json()), []);
  const noMatch = (await app.inject('/v1/resolve?worker=llm-worker-rbee&platform=macos&arch=x86_64&accel=cuda')).json();
  assert.deepEqual(problems('/v1/resolve', 404, noMatch), []);
  assert.deepEqual(problems('/v1/resolve', 404, (await app.inject('/v1/resolve?worker=nope&platform=linux&arch=x86_64')).json()), []);
  assert.deepEqual(problems('/v1/resolve', 400, (await app.inject('/v1/resolve?worker=nope')).json()), []);
  assert.notDeepEqual(problems('/v1/resolve', 200, { ...(noMatch as object), worker: 'x' }), [], 'the validator can fail');
});
