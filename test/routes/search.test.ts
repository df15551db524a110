import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { CatalogStore } from '../../src/catalog/catalogStore.js';
import { catalogApp, catalogWorkerIds, emptyApp } from '../helpers/catalogApp.js';
import { errorAnswer } from '../helpers/errorAnswer.js';
import { fixtureFile, fixtureMetadata } from '../helpers/fixtureFiles.js';
import { snapshotWithout } from '../helpers/snapshotWithout.js';

interface Page {
  workers: Array<{ id: string; name: string; commit: { time: string } }>;
  total: number;
  limit: number;
  nextCursor: string | null;
  facets?: Record<string, Array<{ value: string; count: number }>>;
}

interface Metadata {
  name: string;
  description: string;
  worker_type: string;
  platforms: string[];
  architectures: string[];
  license: string;
  tags?: string[];
  maintainers?: string[];
  requires_license?: boolean;
}

const metadata = (id: string): Metadata => fixtureMetadata(id) as unknown as Metadata;
/** The fixture ids for which `keep` holds, in id order: the oracle, read from the files on disk. */
const idsWhere = (keep: (id: string, meta: Metadata) => boolean): string[] => catalogWorkerIds().filter((id) => keep(id, metadata(id)));
const srcinfoLines = (id: string): string[] => fixtureFile(id, '.SRCINFO').toString('utf8').split('\n').map((line) => line.trim());
const ids = (page: Page): string[] => page.workers.map((worker) => worker.id);

test('GET /v1/workers filters by platform, arch, backend, license, tags, license need, maintainer, depends and provides', async (t) => {
  const { app } = await catalogApp(t);
  const cases: Array<[string, string[]]> = [
    ['platform=macos', idsWhere((_, m) => m.platforms.includes('macos'))],
    ['platform=macos&platform=windows', idsWhere((_, m) => m.platforms.includes('macos') || m.platforms.includes('windows'))],
    ['arch=aarch64&backend=cuda', idsWhere((_, m) => m.architectures.includes('aarch64') && m.worker_type === 'cuda')],
    ['backend=rocm&backend=metal', idsWhere((_, m) => ['rocm', 'metal'].includes(m.worker_type))],
    ['license=proprietary', idsWhere((_, m) => m.license.toLowerCase() === 'proprietary')],
    ['tag=gpu&tag=nvidia', idsWhere((_, m) => (m.tags ?? []).includes('gpu') && (m.tags ?? []).includes('nvidia'))],
    ['requires_license=1', idsWhere((_, m) => m.requires_license === true)],
    ['requires_license=false', idsWhere((_, m) => m.requires_license !== true)],
    ['maintainer=ADA', idsWhere((_, m) => (m.maintainers ?? []).some((who) => who.toLowerCase().includes('ada')))],
    ['depends=cuda', idsWhere((id) => srcinfoLines(id).some((line) => /^depends(_\w+)? = cuda([<>=].*)?$/.test(line)))],
    ['provides=sd-worker-rbee', idsWhere((id) => srcinfoLines(id).some((line) => /^provides(_\w+)? = sd-worker-rbee([<>=].*)?$/.test(line)))],
    ['provides=llm-worker-rbee-cpu', ['llm-worker-rbee-cpu']],
  ];
  for (const [query, expected] of cases) {
    const page = (await app.inject(`/v1/workers?${query}`)).json() as Page;
    assert.ok(expected.length > 0, `${query}: the fixture must have a match for this case to mean anything`);
    assert.deepEqual(ids(page), expected, query);
    assert.equal(page.total, expected.length, query);
  }
  const none = (await app.inject('/v1/workers?platform=macos&backend=cuda')).json() as Page;
  assert.deepEqual({ ids: ids(none), total: none.total, next: none.nextCursor }, { ids: [], total: 0, next: null });
});

test('q: every word must match somewhere in the id, name, description, tags or keywords', async (t) => {
  const { app } = await catalogApp(t);
  const text = (id: string, m: Metadata): string => [id, m.name, m.description, ...(m.tags ?? [])].join(' ').toLowerCase();
  for (const q of ['nvidia', 'NVIDIA stable', 'gguf', 'llm apple', 'diffusion']) {
    const page = (await app.inject(`/v1/workers?q=${encodeURIComponent(q)}&sort=name`)).json() as Page;
    const words = q.toLowerCase().split(' ');
    const expected = idsWhere((id, m) => words.every((word) => text(id, m).includes(word) || JSON.stringify(fixtureMetadata(id)).toLowerCase().includes(word)));
    assert.ok(expected.length > 0 && expected.length < catalogWorkerIds().length, `${q}: the case must split the fixture`);
    assert.deepEqual(new Set(ids(page)), new Set(expected), q);
  }
  assert.equal(((await app.inject('/v1/workers?q=no-such-word-anywhere')).json() as Page).total, 0);
});

test('relevance puts the exact id first, then ids that start with the words', async (t) => {
  const { app } = await catalogApp(t);
  const exact = (await app.inject('/v1/workers?q=llm-worker-rbee-cuda')).json() as Page;
  assert.equal(exact.workers[0]?.id, 'llm-worker-rbee-cuda');
  const family = (await app.inject('/v1/workers?q=sd-worker')).json() as Page;
  assert.deepEqual(ids(family), idsWhere((id) => id.startsWith('sd-worker')), 'equal scores fall back to id order');
});

test('sort by name or updated, either order, is total and deterministic', async (t) => {
  const { app } = await catalogApp(t);
  const byName = (await app.inject('/v1/workers?sort=name')).json() as Page;
  const expectedByName = catalogWorkerIds();
  assert.deepEqual(ids(byName), expectedByName, 'the name is the package name: the worker id');
  assert.deepEqual(ids((await app.inject('/v1/workers')).json() as Page), expectedByName, 'the default order without q');
  const reversed = (await app.inject('/v1/workers?sort=name&order=desc')).json() as Page;
  assert.deepEqual(ids(reversed), [...expectedByName].reverse());
  const updated = (await app.inject('/v1/workers?sort=updated')).json() as Page;
  const times = updated.workers.map((worker) => Date.parse(worker.commit.time));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first by default');
  const again = (await app.inject('/v1/workers?sort=updated')).json() as Page;
  assert.deepEqual(ids(again), ids(updated));
});

test('cursor pagination walks every match once, in order, for each sort', async (t) => {
  const { app } = await catalogApp(t);
  for (const query of ['sort=name', 'sort=name&order=desc', 'sort=updated', 'sort=updated&order=asc', 'q=worker', 'q=rbee&sort=relevance&order=asc']) {
    const whole = (await app.inject(`/v1/workers?${query}&limit=500`)).json() as Page;
    const walked: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages += 1) {
      const url: string = `/v1/workers?${query}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = (await app.inject(url)).json() as Page;
      assert.equal(page.total, whole.total, `${query}: the total stays the same on every page`);
      assert.ok(page.workers.length <= 2);
      walked.push(...ids(page));
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    assert.equal(cursor, null, `${query}: the walk ends`);
    assert.deepEqual(walked, ids(whole), query);
  }
});

test('facets=1 counts platforms, arches, backends, licenses and tags within the filter', async (t) => {
  const { app } = await catalogApp(t);
  const page = (await app.inject('/v1/workers?platform=linux&facets=1')).json() as Page;
  const matching = idsWhere((_, m) => m.platforms.includes('linux'));
  assert.deepEqual(ids(page), matching);
  const expected = (values: (m: Metadata) => string[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const id of matching) for (const value of values(metadata(id))) counts.set(value, (counts.get(value) ?? 0) + 1);
    return counts;
  };
  const asMap = (facet: string) => new Map((page.facets?.[facet] ?? []).map(({ value, count }) => [value, count]));
  assert.deepEqual(asMap('platform'), expected((m) => m.platforms));
  assert.deepEqual(asMap('arch'), expected((m) => m.architectures));
  assert.deepEqual(asMap('backend'), expected((m) => [m.worker_type]));
  assert.deepEqual(asMap('license'), expected((m) => [m.license]));
  assert.deepEqual(asMap('tag'), expected((m) => m.tags ?? []));
  const counts = (page.facets?.tag ?? []).map((entry) => entry.count);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'most common first');
  assert.equal(((await app.inject('/v1/workers?platform=linux')).json() as Page).facets, undefined, 'only when asked');
});

test('bad search parameters answer 400 with a code', async (t) => {
  const { app } = await catalogApp(t);
  const nameCursor = ((await app.inject('/v1/workers?limit=1')).json() as Page).nextCursor!;
  const cases: Array<[string, string]> = [
    ['limit=0', 'INVALID_QUERY'],
    ['limit=501', 'INVALID_QUERY'],
    ['limit=ten', 'INVALID_QUERY'],
    ['platform=bsd', 'INVALID_QUERY'],
    ['arch=i686', 'INVALID_QUERY'],
    ['backend=vulkan', 'INVALID_QUERY'],
    ['sort=popularity', 'INVALID_QUERY'],
    ['sort=relevance', 'INVALID_QUERY'],
    ['facets=yes', 'INVALID_QUERY'],
    [`q=${'x'.repeat(201)}`, 'INVALID_QUERY'],
    [`q=${Array.from({ length: 17 }, (_, i) => `w${i}`).join('+')}`, 'INVALID_QUERY'],
    ['depends=a%20b', 'INVALID_QUERY'],
    ['cursor=not%20base64', 'INVALID_QUERY'],
    ['cursor=bm90LWpzb24', 'INVALID_CURSOR'],
    [`sort=updated&cursor=${nameCursor}`, 'INVALID_CURSOR'],
  ];
  for (const [query, code] of cases) {
    const path = `/v1/workers?${query}`;
    const response = await app.inject(path);
    assert.equal(response.statusCode, 400, query);
    assert.equal(errorAnswer(path, response).code, code, query);
  }
});

test('search answers revalidate with 304 and their ETags follow the query', async (t) => {
  const { app } = await catalogApp(t);
  const first = await app.inject('/v1/workers?q=cuda&facets=1');
  assert.equal(first.statusCode, 200);
  assert.match(String(first.headers.etag), /^"[A-Za-z0-9_-]{22}"$/);
  assert.equal(first.headers['cache-control'], 'public, max-age=3600');
  const again = await app.inject({ url: '/v1/workers?q=cuda&facets=1', headers: { 'if-none-match': `"other", ${String(first.headers.etag)}` } });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, '');
  assert.equal((await app.inject({ url: '/v1/workers?q=cuda&facets=1', headers: { 'if-none-match': '*' } })).statusCode, 304);
  const other = await app.inject('/v1/workers?q=cuda');
  assert.notEqual(other.headers.etag, first.headers.etag, 'another query is another representation');
  assert.equal((await app.inject('/v1/workers?q=cuda&facets=1')).body, first.body, 'same query, same bytes');
  const lastModified = String(first.headers['last-modified']);
  assert.ok(!Number.isNaN(Date.parse(lastModified)));
  assert.equal((await app.inject({ url: '/v1/workers?q=cuda&facets=1', headers: { 'if-modified-since': lastModified } })).statusCode, 304);
});

test('large answers are compressed for clients that accept it; each encoding has its own ETag', async (t) => {
  const { app } = await catalogApp(t);
  const plain = await app.inject('/v1/workers');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  assert.equal(Number(plain.headers['content-length']), plain.rawPayload.byteLength, 'with its exact length');
  const br = await app.inject({ url: '/v1/workers', headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.deepEqual(brotliDecompressSync(br.rawPayload), plain.rawPayload);
  const gzip = await app.inject({ url: '/v1/workers', headers: { 'accept-encoding': 'gzip, br;q=0' } });
  assert.equal(gzip.headers['content-encoding'], 'gzip');
  assert.deepEqual(gunzipSync(gzip.rawPayload), plain.rawPayload);
  assert.equal(new Set([plain.headers.etag, br.headers.etag, gzip.headers.etag]).size, 3);
  const revalidated = await app.inject({ url: '/v1/workers', headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) } });
  assert.equal(revalidated.statusCode, 304);
  assert.equal(revalidated.headers.etag, br.headers.etag);
  const small = await app.inject({ url: '/v1/suggest?q=llm-worker-rbee-cu', headers: { 'accept-encoding': 'br' } });
  assert.equal(small.headers['content-encoding'], undefined, 'small bodies go as they are');
});

test('POST /v1/workers/info answers the found entries in request order and the ids not found', async (t) => {
  const { app } = await catalogApp(t);
  const response = await app.inject({ method: 'POST', url: '/v1/workers/info', payload: { ids: ['sd-worker-rbee-cuda', 'nope', 'llm-worker-rbee-cpu', 'sd-worker-rbee-cuda'] } });
  assert.equal(response.statusCode, 200);
  const body = response.json() as { workers: Array<{ id: string }>; notFound: string[] };
  assert.deepEqual(body.workers.map((worker) => worker.id), ['sd-worker-rbee-cuda', 'llm-worker-rbee-cpu']);
  assert.deepEqual(body.notFound, ['nope']);
  assert.deepEqual(body.workers[0], (await app.inject('/v1/workers/sd-worker-rbee-cuda')).json(), 'the same entry as GET /v1/workers/:id');
  const bad: unknown[] = [{}, { ids: [] }, { ids: ['Bad Id'] }, { ids: Array.from({ length: 501 }, (_, i) => `w${i}`) }, { ids: [{}] }];
  for (const payload of bad) {
    const answer = await app.inject({ method: 'POST', url: '/v1/workers/info', payload: payload as object });
    assert.equal(answer.statusCode, 400, JSON.stringify(payload).slice(0, 80));
    assert.equal(errorAnswer('/v1/workers/info', answer).code, 'INVALID_BODY');
  }
  const five = await app.inject({ method: 'POST', url: '/v1/workers/info', payload: { ids: Array.from({ length: 500 }, (_, i) => `w${i}`) } });
  assert.equal(five.statusCode, 200, '500 ids is the limit, not past it');
});

test('GET /v1/suggest answers up to 20 ids starting with the prefix', async (t) => {
  const { app } = await catalogApp(t);
  const suggest = async (query: string) => (await app.inject(`/v1/suggest?${query}`)).json() as { ids: string[] };
  assert.deepEqual((await suggest('q=llm-worker-rbee-c')).ids, catalogWorkerIds().filter((id) => id.startsWith('llm-worker-rbee-c')));
  assert.deepEqual((await suggest('q=SD-')).ids, catalogWorkerIds().filter((id) => id.startsWith('sd-')));
  assert.deepEqual((await suggest('q=l&limit=2')).ids, catalogWorkerIds().filter((id) => id.startsWith('l')).slice(0, 2));
  assert.deepEqual((await suggest('q=zzz')).ids, []);
  for (const query of ['', 'q=', 'limit=3', 'q=a&limit=21', `q=${'a'.repeat(101)}`]) {
    const response = await app.inject(`/v1/suggest?${query}`);
    assert.equal(response.statusCode, 400, query);
    assert.equal(errorAnswer('/v1/suggest', response).code, 'INVALID_QUERY');
  }
  const first = await app.inject('/v1/suggest?q=llm');
  assert.equal((await app.inject({ url: '/v1/suggest?q=llm', headers: { 'if-none-match': String(first.headers.etag) } })).statusCode, 304);
});

test('GET /v1/tags counts every tag, most used first', async (t) => {
  const { app } = await catalogApp(t);
  const response = await app.inject('/v1/tags');
  const body = response.json() as { tags: Array<{ tag: string; count: number }>; total: number };
  const expected = new Map<string, number>();
  for (const id of catalogWorkerIds()) for (const tag of metadata(id).tags ?? []) expected.set(tag, (expected.get(tag) ?? 0) + 1);
  assert.deepEqual(new Map(body.tags.map(({ tag, count }) => [tag, count])), expected);
  assert.equal(body.total, expected.size);
  const counts = body.tags.map((entry) => entry.count);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
  assert.equal((await app.inject({ url: '/v1/tags', headers: { 'if-none-match': String(response.headers.etag) } })).statusCode, 304);
});

test('kept search answers belong to their index: a new snapshot answers anew, with a new ETag', async (t) => {
  const { app, store, snapshot } = await catalogApp(t);
  const url = '/v1/workers?q=worker&facets=1';
  const before = await app.inject(url);
  assert.deepEqual(await app.inject(url).then((again) => again.rawPayload), before.rawPayload);
  store.swap(snapshotWithout(snapshot, ['llm-worker-rbee-cuda']));
  const after = await app.inject(url);
  assert.notEqual(after.headers.etag, before.headers.etag);
  assert.ok(!ids(after.json() as Page).includes('llm-worker-rbee-cuda'), 'not the answer kept for the old index');
  assert.equal((after.json() as Page).total, (before.json() as Page).total - 1);
  assert.equal((await app.inject({ url, headers: { 'if-none-match': String(before.headers.etag) } })).statusCode, 200, 'the old ETag no longer matches');
});

test('with the answer cache off, answers are the same bytes', async (t) => {
  const { snapshot } = await catalogApp(t);
  const store = new CatalogStore();
  store.swap(snapshot);
  const uncached = await emptyApp(t, store, { searchAnswerCacheEntries: 0 });
  const cached = await emptyApp(t, store);
  for (const url of ['/v1/workers?q=gpu&facets=1', '/v1/workers?limit=2', '/v1/workers?sort=updated&platform=linux']) {
    const [a, b] = [await uncached.inject(url), await cached.inject(url)];
    assert.deepEqual(a.rawPayload, b.rawPayload, url);
    assert.equal(a.headers.etag, b.headers.etag, url);
  }
});
