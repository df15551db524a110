// The AUR RPC v5 routes against the fixture catalog. Expected values are
// read from the fixture files themselves (.SRCINFO lines, metadata.json);
// error strings and statuses are aurweb's (archlinux/aurweb aurweb/rpc.py,
// aurweb/routers/rpc.py, test/test_rpc.py).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { idDraw } from '../../src/aur/aurIds.js';
import { catalogPlugin } from '../../src/http/catalogPlugin.js';
import { aurRpcRoutes } from '../../src/routes/aurRpc.js';
import { catalogApp, catalogWorkerIds, emptyApp } from '../helpers/catalogApp.js';
import { fixtureFile, fixtureMetadata, fixtureVersion } from '../helpers/fixtureFiles.js';
import { snapshotWithout } from '../helpers/snapshotWithout.js';

type AurRecord = Record<string, unknown> & { Name: string };
interface Envelope {
  resultcount: number;
  results: AurRecord[];
  type: string;
  version: number | null;
  error?: string;
}

const IDS = catalogWorkerIds();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Every `key = value` and `key_<arch> = value` of a fixture's .SRCINFO (the oracle for merged lists). */
function srcinfoMerged(id: string, key: string): string[] {
  return fixtureFile(id, '.SRCINFO').toString('utf8').split('\n')
    .map((line) => line.trim())
    .map((line) => /^([a-z0-9_]+) = (.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && (match[1] === key || match[1]!.startsWith(`${key}_`)))
    .map((match) => match[2]!);
}
function srcinfoValue(id: string, key: string): string | undefined {
  return srcinfoMerged(id, key).find((_value, index, all) => all.length > 0 && index === 0);
}
/** aurweb's parse_dep name: before `: ` and before any version condition. */
const depName = (value: string): string => value.split(': ')[0]!.split(/[<=>]/)[0]!;
const sortedUnique = (values: readonly string[]): string[] => [...new Set(values)].sort((a, b) => (depName(a) < depName(b) ? -1 : depName(a) > depName(b) ? 1 : a < b ? -1 : a > b ? 1 : 0));
const names = (body: Envelope): string[] => body.results.map((record) => record.Name);

test('info: every route form answers the same records, in Name order', async (t) => {
  const { app } = await catalogApp(t);
  const wanted = ['sd-worker-rbee-cuda', 'llm-worker-rbee-premium', 'llm-worker-rbee-cpu', 'no-such-worker'];
  const query = wanted.map((name) => `arg[]=${name}`).join('&');
  const forms = [
    app.inject(`/rpc?v=5&type=info&${query}`),
    app.inject(`/rpc/?v=5&type=multiinfo&${query}`),
    app.inject(`/rpc/v5/info?${query}`),
    app.inject({ method: 'POST', url: '/rpc/v5/info', payload: { arg: wanted } }),
    app.inject({ method: 'POST', url: '/rpc/v5/info', headers: FORM, payload: wanted.map((name) => `arg[]=${name}`).join('&') }),
    app.inject({ method: 'POST', url: '/rpc', headers: FORM, payload: `v=5&type=info&${query}` }),
    app.inject({ method: 'POST', url: '/rpc/', payload: { v: 5, type: 'info', 'arg[]': wanted } }),
  ];
  const bodies = (await Promise.all(forms)).map((response) => {
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as Envelope;
  });
  const expected = ['llm-worker-rbee-cpu', 'llm-worker-rbee-premium', 'sd-worker-rbee-cuda'];
  assert.deepEqual(names(bodies[0]!), expected);
  for (const body of bodies) assert.deepEqual(body, bodies[0]);
  // Names match case-insensitively, as aurweb's `Name IN (…)` does under MySQL's collation.
  const shouted = (await app.inject('/rpc/v5/info?arg[]=SD-Worker-Rbee-CUDA&arg[]=LLM-WORKER-RBEE-CPU')).json() as Envelope;
  assert.deepEqual(names(shouted), ['llm-worker-rbee-cpu', 'sd-worker-rbee-cuda']);
  // One name at a time through the path form gives the same records.
  const single = await Promise.all(expected.map(async (name) => ((await app.inject(`/rpc/v5/info/${name}`)).json() as Envelope).results[0]));
  assert.deepEqual(single, bodies[0]!.results);
});

test('info records carry the .SRCINFO and metadata.json values, arch-specific entries merged', async (t) => {
  const { app, snapshot } = await catalogApp(t);
  const body = (await app.inject(`/rpc/v5/info?${IDS.map((id) => `arg[]=${id}`).join('&')}`)).json() as Envelope;
  assert.deepEqual(names(body), IDS);
  for (const record of body.results) {
    const id = record.Name;
    const metadata = fixtureMetadata(id) as { description: string; homepage?: string; tags?: string[]; maintainers?: string[] };
    assert.equal(record.PackageBase, srcinfoValue(id, 'pkgbase'));
    assert.equal(record.Version, fixtureVersion(id));
    assert.equal(record.Description, srcinfoValue(id, 'pkgdesc') ?? metadata.description);
    assert.equal(record.URL, srcinfoValue(id, 'url') ?? metadata.homepage ?? null);
    assert.equal(record.URLPath, `/v1/workers/${id}/snapshot.tar.gz`);
    assert.equal(record.Maintainer, metadata.maintainers?.[0] ?? null);
    assert.equal(record.LastModified, snapshot.workers.get(id)!.record.commit.time);
    assert.equal(record.ID, idDraw('pkgname', id), 'the id is derived from the name alone (no collision in the fixture)');
    assert.equal(record.PackageBaseID, idDraw('pkgbase', id));
    assert.deepEqual([record.NumVotes, record.Popularity, record.OutOfDate, record.Submitter, record.PendingRequests], [0, 0, null, null, 0]);
    // Always present, maybe empty (aurweb get_info_json_data).
    assert.deepEqual(record.License, [...new Set(srcinfoMerged(id, 'license'))].sort());
    assert.deepEqual(record.Keywords, [...new Set(metadata.tags ?? [])].sort());
    // Present only when not empty, arch-specific values merged in.
    const lists: Array<[string, string[]]> = [
      ['Depends', srcinfoMerged(id, 'depends')], ['MakeDepends', srcinfoMerged(id, 'makedepends')],
      ['OptDepends', srcinfoMerged(id, 'optdepends')], ['CheckDepends', srcinfoMerged(id, 'checkdepends')],
      ['Conflicts', srcinfoMerged(id, 'conflicts')], ['Provides', srcinfoMerged(id, 'provides')],
      ['Replaces', srcinfoMerged(id, 'replaces')], ['Groups', srcinfoMerged(id, 'groups')],
      ['CoMaintainers', (metadata.maintainers ?? []).slice(1)],
    ];
    for (const [field, values] of lists) {
      if (values.length === 0) assert.equal(field in record, false, `${id}: ${field} is left out when empty`);
      else assert.deepEqual(record[field], sortedUnique(values), `${id}: ${field}`);
    }
  }
  const cpu = body.results.find((record) => record.Name === 'llm-worker-rbee-cpu')!;
  assert.ok((cpu.Depends as string[]).includes('openblas'), 'depends_aarch64 is merged');
  assert.ok((cpu.OptDepends as string[]).includes('intel-oneapi-mkl: faster matrix kernels on Intel CPUs'), 'optdepends_x86_64 keeps its description');
});

test('the envelope and record key sets are aurweb\'s, keys sorted as its orjson OPT_SORT_KEYS writes them', async (t) => {
  const { app } = await catalogApp(t);
  const info = await app.inject('/rpc/v5/info/sd-worker-rbee-cuda');
  assert.match(info.headers['content-type'] as string, /^application\/json/);
  const infoBody = info.json() as Envelope;
  assert.deepEqual(Object.keys(infoBody), ['resultcount', 'results', 'type', 'version']);
  assert.deepEqual([infoBody.type, infoBody.version, infoBody.resultcount], ['multiinfo', 5, 1]);
  const infoKeys = Object.keys(infoBody.results[0]!);
  assert.deepEqual(infoKeys, [...infoKeys].sort());
  assert.deepEqual(infoKeys, [
    'Conflicts', 'Depends', 'Description', 'FirstSubmitted', 'Groups', 'ID', 'Keywords', 'LastModified', 'License', 'Maintainer',
    'MakeDepends', 'Name', 'NumVotes', 'OptDepends', 'OutOfDate', 'PackageBase', 'PackageBaseID', 'PendingRequests', 'Popularity',
    'Provides', 'Submitter', 'URL', 'URLPath', 'Version',
  ]);
  const search = (await app.inject('/rpc/v5/search/sd-worker-rbee-cuda?by=name')).json() as Envelope;
  assert.deepEqual(Object.keys(search), ['resultcount', 'results', 'type', 'version']);
  assert.equal(search.type, 'search');
  // aurweb's search records: get_json_data without Submitter, and none of the info-only lists.
  assert.deepEqual(Object.keys(search.results[0]!), [
    'Description', 'FirstSubmitted', 'ID', 'LastModified', 'Maintainer', 'Name', 'NumVotes', 'OutOfDate', 'PackageBase',
    'PackageBaseID', 'Popularity', 'URL', 'URLPath', 'Version',
  ]);
  const error = (await app.inject('/rpc?v=5&type=nope&arg=x')).json() as Envelope;
  assert.deepEqual(Object.keys(error), ['error', 'resultcount', 'results', 'type', 'version']);
});

test('search by each relation field finds exactly the workers whose .SRCINFO lists the name', async (t) => {
  const { app } = await catalogApp(t);
  const fields = ['depends', 'makedepends', 'optdepends', 'checkdepends', 'provides', 'conflicts', 'replaces', 'groups'];
  for (const by of fields) {
    const values = new Set(IDS.flatMap((id) => srcinfoMerged(id, by).map(depName)));
    assert.ok(values.size > 0, `the fixture has ${by}`);
    for (const value of values) {
      const expected = IDS.filter((id) => srcinfoMerged(id, by).map(depName).includes(value) || (by === 'provides' && id === value));
      for (const url of [`/rpc/v5/search/${encodeURIComponent(value)}?by=${by}`, `/rpc?v=5&type=search&by=${by}&arg=${encodeURIComponent(value)}`]) {
        const body = (await app.inject(url)).json() as Envelope;
        assert.deepEqual(names(body), expected, `${url}`);
        assert.equal(body.resultcount, expected.length);
      }
    }
    const none = (await app.inject(`/rpc/v5/search/not-in-any-srcinfo?by=${by}`)).json() as Envelope;
    assert.deepEqual([none.type, none.resultcount], ['search', 0], by);
  }
  // Conditions and descriptions are not part of the name: "llm-worker-rbee=0.1.1" provides llm-worker-rbee.
  assert.ok(names((await app.inject('/rpc/v5/search/llm-worker-rbee?by=provides')).json() as Envelope).includes('llm-worker-rbee-rocm'));
  assert.deepEqual(names((await app.inject('/rpc/v5/search/llm-worker-rbee=0.1.1?by=provides')).json() as Envelope), []);
  // A package always provides itself (aurweb unions an exact name search).
  assert.deepEqual(names((await app.inject('/rpc/v5/search/sd-worker-rbee-metal?by=provides')).json() as Envelope), ['sd-worker-rbee-metal']);
  // An arch-specific entry is found too.
  assert.deepEqual(names((await app.inject('/rpc/v5/search/openblas?by=depends')).json() as Envelope), ['llm-worker-rbee-cpu']);
});

test('search by name, name-desc (the default), keywords, maintainer and comaintainers', async (t) => {
  const { app } = await catalogApp(t);
  const search = async (arg: string, by?: string): Promise<string[]> =>
    names((await app.inject(`/rpc/v5/search/${encodeURIComponent(arg)}${by === undefined ? '' : `?by=${by}`}`)).json() as Envelope);
  const descriptionOf = (id: string): string => (srcinfoValue(id, 'pkgdesc') ?? (fixtureMetadata(id).description as string)).toLowerCase();

  assert.deepEqual(await search('rocm', 'name'), IDS.filter((id) => id.includes('rocm')));
  assert.deepEqual(await search('ROCM', 'name'), IDS.filter((id) => id.includes('rocm')), 'case-insensitive, as under MySQL');
  assert.deepEqual(await search('stable diffusion', 'name'), []);
  const byDescription = IDS.filter((id) => id.includes('nvidia') || descriptionOf(id).includes('nvidia'));
  assert.ok(byDescription.length > 0);
  assert.deepEqual(await search('nvidia', 'name-desc'), byDescription);
  assert.deepEqual(await search('nvidia'), byDescription, 'name-desc is the default');
  assert.deepEqual(await search('nvidia', 'name'), []);

  const tagged = (tag: string): string[] => IDS.filter((id) => ((fixtureMetadata(id).tags as string[] | undefined) ?? []).includes(tag));
  assert.deepEqual(await search('portable', 'keywords'), tagged('portable'));
  assert.deepEqual(await search('port', 'keywords'), [], 'keywords match whole');

  const maintainers = (id: string): string[] => (fixtureMetadata(id).maintainers as string[] | undefined) ?? [];
  const first = 'Ada Okafor <ada@rbee.dev>';
  const maintainedBy = IDS.filter((id) => maintainers(id)[0] === first);
  assert.ok(maintainedBy.length > 0);
  for (const form of [first, 'Ada Okafor', 'ada@rbee.dev', 'ADA@RBEE.DEV']) assert.deepEqual(await search(form, 'maintainer'), maintainedBy, form);
  const comaintainedBy = IDS.filter((id) => maintainers(id).slice(1).includes(first));
  assert.ok(comaintainedBy.length > 0);
  assert.deepEqual(await search('ada@rbee.dev', 'comaintainers'), comaintainedBy);
  // msearch is a maintainer search; with no argument it lists the orphans (none here).
  assert.deepEqual(names((await app.inject('/rpc?v=5&type=msearch&arg=ada@rbee.dev')).json() as Envelope), maintainedBy);
  const orphans = (await app.inject('/rpc?v=5&type=msearch')).json() as Envelope;
  assert.deepEqual([orphans.type, orphans.resultcount], ['search', IDS.filter((id) => maintainers(id).length === 0).length]);
  // The catalog knows no submitters.
  assert.deepEqual(await search('Ada Okafor', 'submitter'), []);
});

test('search through its other forms: ?arg=, POST JSON', async (t) => {
  const { app } = await catalogApp(t);
  const expected = names((await app.inject('/rpc/v5/search/cuda?by=name')).json() as Envelope);
  assert.ok(expected.length > 1);
  assert.deepEqual(names((await app.inject('/rpc/v5/search?arg=cuda&by=name')).json() as Envelope), expected);
  assert.deepEqual(names((await app.inject({ method: 'POST', url: '/rpc/v5/search', payload: { arg: 'cuda', by: 'name' } })).json() as Envelope), expected);
  assert.deepEqual(names((await app.inject({ method: 'POST', url: '/rpc', headers: FORM, payload: 'v=5&type=search&by=name&arg=cuda' })).json() as Envelope), expected);
});

test('suggest and suggest-pkgbase answer a bare list of names by prefix, at most 20', async (t) => {
  const { app } = await catalogApp(t);
  for (const type of ['suggest', 'suggest-pkgbase']) {
    const path = (await app.inject(`/rpc/v5/${type}/llm-worker-rbee-c`)).json() as string[];
    assert.deepEqual(path, IDS.filter((id) => id.startsWith('llm-worker-rbee-c')));
    assert.deepEqual((await app.inject(`/rpc?v=5&type=${type}&arg=sd-`)).json(), IDS.filter((id) => id.startsWith('sd-')));
    assert.deepEqual((await app.inject(`/rpc?v=5&type=${type}&arg=zzz`)).json(), []);
    // aurweb test_rpc_suggest: no argument is an empty list, not an error.
    assert.deepEqual((await app.inject(`/rpc?v=5&type=${type}`)).json(), []);
    const all = (await app.inject(`/rpc?v=5&type=${type}&arg=`)).json() as string[];
    assert.deepEqual(all, IDS.slice(0, 20));
  }
});

test('error strings and statuses are aurweb\'s', async (t) => {
  const { app } = await catalogApp(t);
  // [path, HTTP status, version in the envelope, error] — aurweb/rpc.py _verify_inputs, _enforce_args, _handle_search_type;
  // aurweb/routers/rpc.py rpc_request (callback) and rpc_openapi_*_post (the 400s); test/test_rpc.py.
  const cases: Array<[string, number, number | null, string]> = [
    ['/rpc?type=info&arg=x', 200, null, 'Please specify an API version.'],
    ['/rpc', 200, null, 'Please specify an API version.'],
    ['/rpc?v=0&type=info&arg=x', 200, 0, 'Invalid version specified.'],
    ['/rpc?v=6&type=info&arg=x', 200, 6, 'Invalid version specified.'],
    ['/rpc/v4/info/x', 200, 4, 'Invalid version specified.'],
    ['/rpc?v=5&type=search&by=fake&arg=big', 200, 5, 'Incorrect by field specified.'],
    ['/rpc?v=5&type=search&by=&arg=big', 200, 5, 'Incorrect by field specified.'],
    ['/rpc/v5/search/big?by=fake', 200, 5, 'Incorrect by field specified.'],
    ['/rpc?v=5&arg=x', 200, 5, 'No request type/data specified.'],
    ['/rpc?v=5&type=info', 200, 5, 'No request type/data specified.'],
    ['/rpc/v5/info', 200, 5, 'No request type/data specified.'],
    ['/rpc?v=5&type=search', 200, 5, 'No request type/data specified.'],
    ['/rpc?v=5&type=invalid-type&arg=x', 200, 5, 'Incorrect request type specified.'],
    ['/rpc?v=5&type=search&arg=b', 200, 5, 'Query arg too small.'],
    ['/rpc/v5/search/b', 200, 5, 'Query arg too small.'],
    ['/rpc?v=5&type=search&arg=big&callback=jsonCallback!', 200, 5, 'Invalid callback name.'],
  ];
  for (const [path, status, version, error] of cases) {
    const response = await app.inject(path);
    assert.equal(response.statusCode, status, path);
    assert.match(response.headers['content-type'] as string, /^application\/json/, path);
    assert.deepEqual(response.json(), { error, resultcount: 0, results: [], type: 'error', version }, path);
  }
  const posts: Array<[string, unknown, string]> = [
    ['/rpc/v5/info', { arg: 'llm-worker-rbee-cpu' }, "the 'arg' parameter must be of array type"],
    ['/rpc/v5/info', { arg: 5 }, "the 'arg' parameter must be of array type"],
    ['/rpc/v5/search', { arg: 5 }, "the 'arg' parameter must be of string type"],
    ['/rpc/v5/search', { arg: 'cuda', by: ['name'] }, "the 'by' parameter must be of string type"],
  ];
  for (const [url, payload, error] of posts) {
    const response = await app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
    assert.equal(response.statusCode, 400, `${url} ${JSON.stringify(payload)}`);
    assert.deepEqual(response.json(), { error, resultcount: 0, results: [], type: 'error', version: 5 });
  }
});

test('"Too many package results." past max_rpc_results, for info and search', async (t) => {
  const { store } = await catalogApp(t);
  const app = Fastify();
  t.after(() => app.close());
  await app.register(catalogPlugin, { store, cacheMaxAgeSeconds: 60 });
  await app.register(aurRpcRoutes, { maxResults: 3 });
  const tooMany = { error: 'Too many package results.', resultcount: 0, results: [], type: 'error', version: 5 };
  assert.deepEqual((await app.inject('/rpc/v5/search/worker?by=name')).json(), tooMany);
  assert.deepEqual((await app.inject(`/rpc/v5/info?${IDS.slice(0, 4).map((id) => `arg[]=${id}`).join('&')}`)).json(), tooMany);
  // At the limit is fine; names that match nothing do not count (aurweb counts packages, not arguments).
  assert.equal(((await app.inject('/rpc/v5/search/rocm?by=name')).json() as Envelope).resultcount, 2);
  assert.equal(((await app.inject(`/rpc/v5/info?${[...IDS.slice(0, 3), 'a', 'b'].map((id) => `arg[]=${id}`).join('&')}`)).json() as Envelope).resultcount, 3);
});

test('schema failures, unparsable bodies and the 503 answer in the AUR envelope', async (t) => {
  const { app } = await catalogApp(t);
  const invalid = [
    app.inject('/rpc/vx/info/llm-worker-rbee-cpu'),
    app.inject(`/rpc/v5/info/${'x'.repeat(300)}`),
    app.inject(`/rpc?v=5&type=info&arg=${'x'.repeat(300)}`),
    app.inject('/rpc?v=five&type=info&arg=x'),
    app.inject({ method: 'POST', url: '/rpc/v5/info', headers: { 'content-type': 'application/json' }, payload: '{"arg": [' }),
  ];
  for (const response of await Promise.all(invalid)) {
    assert.equal(response.statusCode, 400, response.body);
    const body = response.json() as Envelope;
    assert.deepEqual(Object.keys(body).sort(), ['error', 'resultcount', 'results', 'type', 'version']);
    assert.equal(body.type, 'error');
  }
  const notReady = await emptyApp(t);
  const response = await notReady.inject('/rpc/v5/info/llm-worker-rbee-cpu');
  assert.equal(response.statusCode, 503);
  assert.equal(response.headers['retry-after'], '5');
  assert.equal((response.json() as Envelope).type, 'error');
  // No such RPC path: the service's own 404.
  assert.equal((await app.inject('/rpc/v5/nope')).statusCode, 404);
});

test('JSONP: a valid callback wraps the answer as aurweb does', async (t) => {
  const { app } = await catalogApp(t);
  const plain = await app.inject('/rpc?v=5&type=search&arg=rocm&by=name');
  const wrapped = await app.inject('/rpc?v=5&type=search&arg=rocm&by=name&callback=jsonCallback');
  assert.match(wrapped.headers['content-type'] as string, /^text\/javascript/);
  assert.equal(wrapped.body, `/**/jsonCallback(${plain.body})`);
  assert.notEqual(wrapped.headers.etag, plain.headers.etag, 'two representations, two validators');
});

test('ETags name what is served and the normalised query; revalidation answers 304', async (t) => {
  const { app } = await catalogApp(t);
  const first = await app.inject('/rpc/v5/info?arg[]=llm-worker-rbee-cpu&arg[]=sd-worker-rbee-cpu');
  const etag = first.headers.etag as string;
  assert.match(etag, /^"aur-[A-Za-z0-9_-]{22}"$/);
  assert.equal(first.headers['cache-control'], 'public, max-age=3600');
  // The same question asked another way is the same answer, with the same validator.
  const same = await app.inject('/rpc?v=5&type=multiinfo&arg[]=sd-worker-rbee-cpu&arg[]=llm-worker-rbee-cpu&arg[]=llm-worker-rbee-cpu');
  assert.equal(same.body, first.body);
  assert.equal(same.headers.etag, etag);
  const other = await app.inject('/rpc/v5/info?arg[]=llm-worker-rbee-cpu');
  assert.notEqual(other.headers.etag, etag);
  for (const path of ['/rpc/v5/info?arg[]=llm-worker-rbee-cpu&arg[]=sd-worker-rbee-cpu', '/rpc/v5/search/cuda?by=name', '/rpc/v5/suggest/llm', '/rpc?v=6&type=info&arg=x']) {
    const fresh = await app.inject(path);
    assert.equal(fresh.statusCode, 200, path);
    const revalidated = await app.inject({ url: path, headers: { 'if-none-match': `"other", ${fresh.headers.etag as string}` } });
    assert.equal(revalidated.statusCode, 304, path);
    assert.equal(revalidated.body, '');
    assert.equal((await app.inject({ url: path, headers: { 'if-none-match': '"other"' } })).statusCode, 200, path);
  }
});

test('the RPC routes are documented in /openapi.json', async (t) => {
  const { app } = await catalogApp(t);
  const paths = Object.keys(((await app.inject('/openapi.json')).json() as { paths: Record<string, unknown> }).paths);
  for (const path of ['/rpc', '/rpc/v{version}/info/{name}', '/rpc/v{version}/info', '/rpc/v{version}/search/{arg}', '/rpc/v{version}/suggest/{arg}', '/rpc/v{version}/suggest-pkgbase/{arg}']) {
    assert.ok(paths.includes(path), `${path} in ${paths.filter((p) => p.startsWith('/rpc')).join(' ')}`);
  }
});

test('ETags follow what is served, not the branch tips: a worker gone on equal tips changes every answer\'s tag', async (t) => {
  const { app, store, snapshot } = await catalogApp(t);
  // Answers that do not name the dropped worker change too: search and suggest list every match.
  const paths = ['/rpc/v5/info?arg[]=llm-worker-rbee-cpu&arg[]=sd-worker-rbee-cpu', '/rpc/v5/search/worker?by=name', '/rpc/v5/suggest/sd', '/rpc?v=5&type=info&arg=llm-worker-rbee-cpu'];
  const before = await Promise.all(paths.map((path) => app.inject(path)));
  store.swap(snapshotWithout(snapshot, ['sd-worker-rbee-cpu']));
  for (const [index, path] of paths.entries()) {
    const etag = before[index]!.headers.etag as string;
    const after = await app.inject({ url: path, headers: { 'if-none-match': etag } });
    assert.equal(after.statusCode, 200, `${path}: a client holding the old answer must get the new one`);
    assert.notEqual(after.headers.etag, etag, path);
  }
  const info = (await app.inject(paths[0]!)).json() as Envelope;
  assert.deepEqual(names(info), ['llm-worker-rbee-cpu']);
});
