// A real repository with history, written by native git: one worker branch
// (llm-worker-rbee-cpu, from the fixture catalog) with several commits —
// versions bumped, a README-only change, an epoch, a folder with an
// executable, a symlink — plus a master branch, and a bare copy the catalog
// reads. Tests add commits (an invalid one, say) and push them.

import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { CATALOG_FIXTURES } from './catalogApp.js';
import { git } from './nativeGit.js';
import { makeTempDir } from './tempDir.js';

export const HISTORY_WORKER = 'llm-worker-rbee-cpu';
/** 2025-03-01T00:00:00Z; each commit is one hour after the one before. */
const START = 1740787200;

export interface HistoryRepository {
  /** The work tree commits are made in (on the worker branch). */
  readonly work: string;
  /** The bare repository the catalog reads. */
  readonly gitdir: string;
  /** Commit oids by label, in the order they were made. */
  readonly commits: Map<string, string>;
  /** Edits the work tree with `change`, commits it as `label` and pushes it to the bare repository. */
  commit(label: string, change: (work: string) => void): Promise<string>;
}

/** Sets `pkgver`, `pkgrel` and (optionally) `epoch` in both PKGBUILD and .SRCINFO, keeping them in agreement. */
export function setVersion(work: string, version: { pkgver: string; pkgrel: string; epoch?: string }): void {
  const pkgbuild = path.join(work, 'PKGBUILD');
  let text = readFileSync(pkgbuild, 'utf8')
    .replace(/^epoch=.*\n/m, '')
    .replace(/^pkgver=.*$/m, `pkgver=${version.pkgver}`)
    .replace(/^pkgrel=.*$/m, `pkgrel=${version.pkgrel}`);
  if (version.epoch !== undefined) text = text.replace(/^pkgrel=.*$/m, `pkgrel=${version.pkgrel}\nepoch=${version.epoch}`);
  writeFileSync(pkgbuild, text);
  const srcinfo = path.join(work, '.SRCINFO');
  let info = readFileSync(srcinfo, 'utf8')
    .replace(/^\tepoch = .*\n/m, '')
    .replace(/^\tpkgver = .*$/m, `\tpkgver = ${version.pkgver}`)
    .replace(/^\tpkgrel = .*$/m, `\tpkgrel = ${version.pkgrel}`)
    .replaceAll(/#tag=v[^\n]*/g, `#tag=v${version.pkgver}`);
  // makepkg prints epoch right after pkgrel.
  if (version.epoch !== undefined) info = info.replace(/^\tpkgrel = .*$/m, `\tpkgrel = ${version.pkgrel}\n\tepoch = ${version.epoch}`);
  writeFileSync(srcinfo, info);
}

export async function historyRepository(t: TestContext): Promise<HistoryRepository> {
  const root = await makeTempDir(t, 'rbee-history');
  const work = path.join(root, 'work');
  const gitdir = path.join(root, 'catalog.git');
  const commits = new Map<string, string>();
  let clock = START;
  mkdirSync(work);
  await git(['init', '-q', '-b', 'master'], { cwd: work });
  writeFileSync(path.join(work, 'README.md'), '# catalog\n');
  const commitAll = async (label: string): Promise<string> => {
    clock += 3600;
    const date = `@${clock} +0000`;
    await git(['add', '-A'], { cwd: work });
    await git(['commit', '-q', '--allow-empty', '-m', label], { cwd: work, env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
    const oid = (await git(['rev-parse', 'HEAD'], { cwd: work })).trim();
    commits.set(label, oid);
    return oid;
  };
  await commitAll('master');
  await git(['checkout', '-q', '--orphan', HISTORY_WORKER], { cwd: work });
  await git(['rm', '-q', '-rf', '.'], { cwd: work });
  cpSync(path.join(CATALOG_FIXTURES, HISTORY_WORKER), work, { recursive: true });
  await commitAll('0.1.0-1');
  setVersion(work, { pkgver: '0.1.0', pkgrel: '2' });
  await commitAll('0.1.0-2');
  mkdirSync(path.join(work, 'patches'));
  writeFileSync(path.join(work, 'patches', 'fix.patch'), '--- a\n+++ b\n');
  writeFileSync(path.join(work, 'patches', 'apply.sh'), '#!/bin/sh\necho apply\n');
  chmodSync(path.join(work, 'patches', 'apply.sh'), 0o755);
  symlinkSync('fix.patch', path.join(work, 'patches', 'latest.patch'));
  writeFileSync(path.join(work, 'README.md'), `${readFileSync(path.join(work, 'README.md'), 'utf8')}\nPatched.\n`);
  await commitAll('0.1.0-2 patched');
  setVersion(work, { pkgver: '0.2.0', pkgrel: '1', epoch: '1' });
  await commitAll('1:0.2.0-1');
  await git(['clone', '-q', '--bare', work, gitdir]);
  await git(['symbolic-ref', 'HEAD', 'refs/heads/master'], { cwd: gitdir });
  return {
    work,
    gitdir,
    commits,
    async commit(label, change) {
      change(work);
      const oid = await commitAll(label);
      await git(['push', '-q', gitdir, `${HISTORY_WORKER}:${HISTORY_WORKER}`], { cwd: work });
      return oid;
    },
  };
}

/** A change that makes the branch invalid while its .SRCINFO still names a version. */
export function removeMetadata(work: string): void {
  rmSync(path.join(work, 'metadata.json'));
}
