// A whole index from git made in a child process: the child really runs
// (forked, through tsx as the service runs under `npm start`), writes the
// saved index, and the start loads it and serves what an index made in this
// process serves. When the child fails, the start indexes in this process.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, cpSync, existsSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import { firstIndex } from '../../src/catalog/firstIndex.js';
import { ChildProcessError } from '../../src/childProcess/runInChildProcess.js';
import { childIndexRequest, indexInChildProcess } from '../../src/catalog/indexInChildProcess.js';
import { repositoryIdentity } from '../../src/catalog/savedIndex.js';
import { savedIndexPath } from '../../src/catalog/savedIndexPath.js';
import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';
import { silentGitLogger, type GitLogger } from '../../src/git/gitLogger.js';
import { fixtureRepository, TEST_GIT_URL } from '../helpers/catalogApp.js';
import { makeTempDir } from '../helpers/tempDir.js';

const VERSION = '1.2.3-test';

/** Every served body and every branch's problems, by key: what two snapshots must agree on. */
function servedContent(snapshot: CatalogSnapshot): Map<string, string> {
  const content = new Map<string, string>([['v1List', snapshot.v1List.etag]]);
  for (const [name, branch] of snapshot.branches) content.set(`branch ${name}`, `${branch.oid} ${JSON.stringify(branch.problems)}`);
  for (const [id, worker] of snapshot.workers) {
    content.set(`v1 ${id}`, Buffer.from(worker.v1.body).toString('utf8'));
    content.set(`legacy ${id}`, Buffer.from(worker.legacy.body).toString('utf8'));
    for (const [file, body] of worker.files) content.set(`file ${id} ${file}`, `${body.etag} ${Buffer.from(body.body).toString('base64')}`);
  }
  return content;
}

function warningsLogged(): { warnings: string[]; logger: GitLogger } {
  const warnings: string[] = [];
  return { warnings, logger: { ...silentGitLogger, warn: (_details, message) => warnings.push(message) } };
}

test('a first index made in a child process is loaded from the file it saved and serves what an index made here serves', async (t) => {
  const { repo } = await fixtureRepository(t, { broken: ['broken-bad-metadata'] });
  const savedIndexDir = await makeTempDir(t, 'rbee-child-index');
  const { warnings, logger } = warningsLogged();

  const first = await firstIndex({ repo, gitUrl: TEST_GIT_URL, serviceVersion: VERSION, savedIndexDir, logger, childProcessFromBranches: 1 });
  assert.deepEqual(warnings, []);
  assert.ok(first.childProcess, 'the child made the index');
  assert.equal(first.childProcess.branches, first.snapshot.branches.size);
  assert.equal(first.childProcess.workers, first.snapshot.workers.size);
  assert.ok(first.childProcess.peakRssBytes > 0);
  assert.equal(first.from, 'git');
  assert.equal(first.indexedBranches, first.snapshot.branches.size);
  assert.notEqual(first.savedIndexMs, undefined, 'loaded from the saved index');

  const here = await buildSnapshot({ repo, gitUrl: TEST_GIT_URL });
  assert.ok(here.branches.has('broken-bad-metadata'), 'a rejected branch is part of the comparison');
  assert.deepEqual(servedContent(first.snapshot), servedContent(here));
  assert.equal(await first.verifyDetails(), undefined, 'the parsed fields the child saved verify');
  for (const [id, worker] of here.workers) assert.deepEqual(first.snapshot.workers.get(id)?.record.metadata, worker.record.metadata, id);

  // The saver knows the file already holds this snapshot: it does not write it again.
  const file = savedIndexPath({ dir: savedIndexDir, repository: repositoryIdentity(repo), gitUrl: TEST_GIT_URL });
  rmSync(file);
  first.saver.schedule(first.snapshot);
  await first.saver.close();
  assert.equal(existsSync(file), false);
});

test('below the threshold, or with a usable saved index, no child process runs', async (t) => {
  const { repo } = await fixtureRepository(t);
  const savedIndexDir = await makeTempDir(t, 'rbee-child-index');
  const options = { repo, gitUrl: TEST_GIT_URL, serviceVersion: VERSION, savedIndexDir, logger: silentGitLogger };
  const small = await firstIndex({ ...options, childProcessFromBranches: 1000 });
  assert.equal(small.childProcess, undefined);
  small.saver.schedule(small.snapshot);
  await small.saver.close();

  const warm = await firstIndex({ ...options, childProcessFromBranches: 1 });
  assert.equal(warm.childProcess, undefined);
  assert.equal(warm.from, 'saved index');
});

test('a child that fails is reported with its error, and the start indexes here instead', async (t) => {
  const { repo } = await fixtureRepository(t);
  const savedIndexDir = await makeTempDir(t, 'rbee-child-index');
  const file = savedIndexPath({ dir: savedIndexDir, repository: repositoryIdentity(repo), gitUrl: TEST_GIT_URL });
  // A saved-index folder the child cannot create (a file is in the way): its save fails, as on a full disk.
  const inTheWay = path.join(savedIndexDir, 'a-file');
  writeFileSync(inTheWay, '');
  await assert.rejects(
    indexInChildProcess(childIndexRequest(repo, { gitUrl: TEST_GIT_URL, serviceVersion: VERSION, repository: repositoryIdentity(repo), file: path.join(inTheWay, 'saved.idx') })),
    (error: unknown) => error instanceof ChildProcessError && error.answered && /^the indexing child process failed: .*(ENOTDIR|EEXIST)/.test(error.message),
  );
  assert.equal(existsSync(file), false, 'a failed child writes no saved index');

  const { warnings, logger } = warningsLogged();
  const first = await firstIndex({ repo, gitUrl: TEST_GIT_URL, serviceVersion: VERSION, savedIndexDir, logger, childProcessFromBranches: 1, indexInChild: () => Promise.reject(new ChildProcessError('indexing', false, 'exited without an answer (SIGKILL)')) });
  assert.deepEqual(warnings, ['indexing in a child process failed; indexing here instead']);
  assert.equal(first.childProcess, undefined);
  assert.equal(first.from, 'git');
  assert.deepEqual(servedContent(first.snapshot), servedContent(await buildSnapshot({ repo, gitUrl: TEST_GIT_URL })));
});

test('a child that answers without writing a usable saved index leaves the start to index here', async (t) => {
  const { repo } = await fixtureRepository(t);
  const savedIndexDir = await makeTempDir(t, 'rbee-child-index');
  const { warnings, logger } = warningsLogged();
  const claimed = { branches: 1, workers: 1, indexMs: 1, saveMs: 1, savedBytes: 1, peakRssBytes: 1 };
  const first = await firstIndex({ repo, gitUrl: TEST_GIT_URL, serviceVersion: VERSION, savedIndexDir, logger, childProcessFromBranches: 1, indexInChild: () => Promise.resolve(claimed) });
  assert.deepEqual(warnings, ['the saved index the child process wrote cannot be used; indexing here instead']);
  assert.equal(first.childProcess, undefined);
  assert.equal(first.savedIndexMs, undefined);
  assert.deepEqual(servedContent(first.snapshot), servedContent(await buildSnapshot({ repo, gitUrl: TEST_GIT_URL })));
});

/** The pids whose parent is `pid`, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid ...: comm may hold spaces, so fields are counted after its closing parenthesis.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('a parent killed while its child indexes leaves no child behind', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  const { gitdir } = await fixtureRepository(t);
  const dir = await makeTempDir(t, 'rbee-child-index');
  // HEAD as a named pipe: the child's index waits on it until the test writes it, and the test
  // can tell when the child has got that far (the pipe has a reader). So the parent dies mid-index.
  const stuck = path.join(dir, 'stuck.git');
  cpSync(gitdir, stuck, { recursive: true });
  const head = path.join(stuck, 'HEAD');
  const headText = readFileSync(head);
  rmSync(head);
  execFileSync('mkfifo', [head]);
  const request = { repo: { kind: 'local', gitdir: stuck, refPrefix: 'refs/heads/' }, gitUrl: TEST_GIT_URL, serviceVersion: VERSION, repository: 'stuck', file: path.join(dir, 'saved.idx') };
  const script = `const { indexInChildProcess } = await import(${JSON.stringify(new URL('../../src/catalog/indexInChildProcess.ts', import.meta.url).href)});
await indexInChildProcess(${JSON.stringify(request)});`;
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
  const exited = new Promise((resolve) => parent.once('exit', resolve));
  let writer: number | undefined;
  const release = (): void => {
    if (writer === undefined) return;
    writeSync(writer, headText);
    closeSync(writer);
    writer = undefined;
  };
  t.after(async () => {
    parent.kill('SIGKILL');
    await exited;
    release();
  });
  for (const deadline = Date.now() + 30_000; writer === undefined && Date.now() < deadline; await sleep(20)) {
    try {
      writer = openSync(head, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error; // no reader yet
    }
  }
  assert.ok(writer !== undefined, 'the child got as far as reading HEAD');
  const [child] = childrenOf(parent.pid!);
  assert.ok(child !== undefined, 'the indexing child is the parent\'s');
  const sockets = (): number => {
    try {
      return readdirSync(`/proc/${child}/fd`).filter((fd) => readlinkSync(`/proc/${child}/fd/${fd}`).startsWith('socket:')).length;
    } catch {
      return 0;
    }
  };
  const socketsBefore = sockets();
  assert.ok(socketsBefore > 0, 'the IPC channel is a socket');
  parent.kill('SIGKILL');
  await exited;
  // Once the child has closed its end of the channel it has seen the parent go; only then may its index go on.
  for (const deadline = Date.now() + 20_000; sockets() >= socketsBefore && Date.now() < deadline;) await sleep(10);
  release();
  const alive = (): boolean => {
    try {
      return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${child}/stat`, 'utf8'));
    } catch {
      return false; // reaped
    }
  };
  for (const deadline = Date.now() + 20_000; alive() && Date.now() < deadline;) await sleep(20);
  assert.equal(alive(), false, `the child (pid ${child}) exited once its parent was gone`);
  assert.equal(existsSync(request.file), false, 'without finishing its index');
});
