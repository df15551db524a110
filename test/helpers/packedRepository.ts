// Packed repositories written by native git for the pack readers' tests: a
// history of many similar versions (so a repack writes delta chains), and
// every object as `git cat-file --batch` prints it, to compare against.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { writeFolderTree } from './folderTree.js';
import { git } from './nativeGit.js';

export const DATED = { GIT_AUTHOR_DATE: '@1600000000 +0000', GIT_COMMITTER_DATE: '@1700000000 +0200' };

/** A work tree whose history has many similar versions of a few files, so a repack writes delta chains. */
export async function deltaHistoryRepository(root: string): Promise<string> {
  const work = path.join(root, 'work');
  await git(['init', '--quiet', '-b', 'master', work]);
  const lines = Array.from({ length: 200 }, (_, index) => `line ${index}: ${'x'.repeat(index % 37)}`);
  for (let version = 0; version < 30; version += 1) {
    lines[(version * 13) % lines.length] = `changed in version ${version}`;
    await writeFolderTree(work, {
      PKGBUILD: `pkgname=demo\npkgver=0.${version}.0\npkgrel=1\n${lines.join('\n')}\n`,
      'README.md': `# demo\n\n${lines.slice(0, 50 + version).join('\n')}\n`,
      'a.b': 'file\n',
      'a/inner.txt': `nested ${version}\n`,
      'a-c': 'dash\n',
      'é-unicode.txt': 'accent\n',
      'build.sh': { content: `#!/bin/sh\necho ${version}\n`, mode: 0o755 },
    });
    await git(['-C', work, 'add', '.']);
    await git(['-C', work, 'commit', '--quiet', '-m', `version ${version}\r\n\n\nbody\n\n`], { env: DATED });
    if (version % 10 === 9) await git(['-C', work, 'branch', `v${version}`]);
  }
  return path.join(work, '.git');
}

/** Every object of the repository, by oid, as `git cat-file --batch` prints it. */
export async function nativeObjects(gitdir: string): Promise<Map<string, { type: string; bytes: Buffer }>> {
  const oids = (await git(['--git-dir', gitdir, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname)'])).trim().split('\n');
  const output = await new Promise<Buffer>((resolve, reject) => {
    const child = execFile('git', ['--git-dir', gitdir, 'cat-file', '--batch'], { encoding: 'buffer', maxBuffer: 1 << 28 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    child.stdin?.end(`${oids.join('\n')}\n`);
  });
  const objects = new Map<string, { type: string; bytes: Buffer }>();
  let at = 0;
  while (at < output.length) {
    const newline = output.indexOf(10, at);
    const [oid, type, size] = output.toString('utf8', at, newline).split(' ');
    const start = newline + 1;
    objects.set(oid!, { type: type!, bytes: output.subarray(start, start + Number(size)) });
    at = start + Number(size) + 1;
  }
  return objects;
}
