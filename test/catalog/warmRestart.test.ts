// The real service process: a start indexes from git and saves the index at
// shutdown; the next start says, in its log, that it served from the saved
// index, and serves the same answers.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fixtureRepository } from '../helpers/catalogApp.js';
import { startServer } from '../helpers/serverProcess.js';
import { makeTempDir } from '../helpers/tempDir.js';

interface ReadyLine { readonly msg: string; readonly from?: string; readonly reusedBranches?: number; readonly indexedBranches?: number }

function readyLine(output: string): ReadyLine | undefined {
  return output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as ReadyLine)
    .find((line) => line.msg.startsWith('catalog ready'));
}

test('stop and start again: the second start serves from the saved index and answers the same', async (t) => {
  const { gitdir } = await fixtureRepository(t);
  const cacheDir = await makeTempDir(t, 'rbee-warm-service');
  const env = { CATALOG_REPO: gitdir, CATALOG_CACHE_DIR: cacheDir, CATALOG_POLL_SECONDS: '0', LOG_LEVEL: 'info' };

  const first = await startServer(t, env);
  const firstList = await (await fetch(`${first.baseUrl}/v1/workers`)).text();
  const firstEtag = (await fetch(`${first.baseUrl}/v1/workers/llm-worker-rbee-cpu`)).headers.get('etag');
  // Search and tags are views built from every record's parsed fields.
  const firstSearch = await (await fetch(`${first.baseUrl}/v1/workers?q=cpu&limit=50`)).text();
  const firstTags = await (await fetch(`${first.baseUrl}/v1/tags`)).text();
  assert.equal(await first.stop(), 0);
  assert.equal(readyLine(first.output())?.from, 'git');
  assert.match(first.output(), /saved the index for the next start/);
  assert.equal(readdirSync(path.join(cacheDir, 'saved-index')).filter((name) => name.endsWith('.bin')).length, 1);

  const second = await startServer(t, env);
  const ready = readyLine(second.output());
  assert.equal(ready?.from, 'saved index', second.output());
  assert.ok((ready?.reusedBranches ?? 0) > 0);
  assert.equal(ready?.indexedBranches, 0);
  assert.equal(await (await fetch(`${second.baseUrl}/v1/workers`)).text(), firstList);
  const revalidated = await fetch(`${second.baseUrl}/v1/workers/llm-worker-rbee-cpu`, { headers: { 'if-none-match': firstEtag ?? '' } });
  assert.equal(revalidated.status, 304, 'an ETag from before the restart still revalidates');
  assert.equal(await (await fetch(`${second.baseUrl}/v1/workers?q=cpu&limit=50`)).text(), firstSearch, 'search over the saved records answers the same');
  assert.equal(await (await fetch(`${second.baseUrl}/v1/tags`)).text(), firstTags);
  assert.equal(await second.stop(), 0);
  assert.doesNotMatch(second.output(), /saved the index for the next start/, 'nothing changed, so nothing is written again');
});

test('a saved index damaged under a running service: the first read of it fails, and the service indexes from git and serves again', async (t) => {
  const { gitdir } = await fixtureRepository(t);
  const cacheDir = await makeTempDir(t, 'rbee-warm-damaged');
  const env = { CATALOG_REPO: gitdir, CATALOG_CACHE_DIR: cacheDir, CATALOG_POLL_SECONDS: '0', LOG_LEVEL: 'info' };
  const first = await startServer(t, env);
  const url = '/v1/workers/llm-worker-rbee-cpu/PKGBUILD';
  const pkgbuild = await (await fetch(`${first.baseUrl}${url}`)).text();
  assert.equal(await first.stop(), 0);

  const second = await startServer(t, env);
  assert.equal(readyLine(second.output())?.from, 'saved index');
  // Damage from outside, in place (the saver never writes so): only the header and structure are left.
  const dir = path.join(cacheDir, 'saved-index');
  const file = path.join(dir, readdirSync(dir).find((name) => name.endsWith('.bin'))!);
  const bytes = readFileSync(file);
  const headerEnd = 12 + bytes.readUInt32BE(8);
  truncateSync(file, headerEnd + (JSON.parse(bytes.subarray(12, headerEnd).toString()) as { structureBytes: number }).structureBytes);

  const damaged = await fetch(`${second.baseUrl}${url}`);
  assert.equal(damaged.status, 500);
  assert.equal(((await damaged.json()) as { error: { code: string } }).error.code, 'INTERNAL');
  let answer: Response | undefined;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    answer = await fetch(`${second.baseUrl}${url}`);
    if (answer.status === 200) break;
    await answer.arrayBuffer();
  }
  assert.equal(answer?.status, 200, second.output());
  assert.equal(await answer.text(), pkgbuild);
  assert.match(second.output(), /indexing every branch from git/);
  assert.equal(await second.stop(), 0);
});
