// A synthetic catalog repository of any size for the benchmarks: N worker
// branches, each a copy of fixtures/catalog/llm-worker-rbee-cpu renamed to its
// branch (so every one validates and is served), plus a `master` default
// branch. Native `git fast-import` writes it: 10,000 branches take seconds,
// where committing them one by one would take minutes.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { git } from './nativeGit.js';

const TEMPLATE_DIR = fileURLToPath(new URL('../../fixtures/catalog/llm-worker-rbee-cpu/', import.meta.url));
const TEMPLATE_ID = 'llm-worker-rbee-cpu';
const COMMIT_TIME = 1_767_225_600; // 2026-01-01T00:00:00Z: the same repository every run
/** 10,000 branches take seconds; the bound only stops a stuck import. */
const FAST_IMPORT_TIMEOUT_MS = 5 * 60_000;

/** The name of the i-th synthetic worker branch (0-based). */
export function syntheticWorkerId(index: number): string {
  return `${TEMPLATE_ID}-b${String(index).padStart(5, '0')}`;
}

/** The template's files with the template id replaced; `pkgrel` set in PKGBUILD and .SRCINFO alike. */
export function syntheticWorkerFiles(id: string, pkgrel = 1): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(TEMPLATE_DIR).sort()) {
    let text = readFileSync(path.join(TEMPLATE_DIR, name), 'utf8').replaceAll(TEMPLATE_ID, id);
    if (name === 'PKGBUILD') text = replaceOnce(text, /^pkgrel=1$/m, `pkgrel=${pkgrel}`);
    if (name === '.SRCINFO') text = replaceOnce(text, /^\tpkgrel = 1$/m, `\tpkgrel = ${pkgrel}`);
    files.set(name, Buffer.from(text));
  }
  return files;
}

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`synthetic catalog: the template no longer matches ${pattern}`);
  return text.replace(pattern, replacement);
}

/** Creates the bare repository `gitdir` with `branches` worker branches and a `master` branch. */
export async function createSyntheticCatalog(gitdir: string, branches: number): Promise<void> {
  await git(['init', '--quiet', '--bare', '--initial-branch=master', gitdir]);
  const chunks: Buffer[] = [commitCommand('master', new Map([['README.md', Buffer.from('# synthetic rbee worker catalog\n')]]))];
  for (let index = 0; index < branches; index += 1) {
    const id = syntheticWorkerId(index);
    chunks.push(commitCommand(id, syntheticWorkerFiles(id)));
  }
  await git(['--git-dir', gitdir, 'fast-import', '--quiet'], { input: Buffer.concat(chunks), timeoutMs: FAST_IMPORT_TIMEOUT_MS });
  // fast-import leaves one loose file per ref; a served repository packs them.
  await git(['--git-dir', gitdir, 'pack-refs', '--all']);
}

/** Commits a new pkgrel of worker `id` on top of its branch, as a push would; resolves with the new tip. */
export async function commitNewRelease(gitdir: string, id: string, pkgrel: number): Promise<string> {
  const files = syntheticWorkerFiles(id, pkgrel);
  await git(['--git-dir', gitdir, 'fast-import', '--quiet'], { input: commitCommand(id, files, `refs/heads/${id}^0`) });
  return (await git(['--git-dir', gitdir, 'rev-parse', `refs/heads/${id}`])).trim();
}

/** One fast-import `commit` command writing `files` (inline) onto branch `name`. */
function commitCommand(name: string, files: ReadonlyMap<string, Buffer>, parent?: string): Buffer {
  const message = Buffer.from(`Update ${name}\n`);
  const parts: Buffer[] = [Buffer.from(
    `commit refs/heads/${name}\n` +
    `committer Bench <bench@rbee.invalid> ${COMMIT_TIME} +0000\n` +
    `data ${message.length}\n`), message];
  if (parent !== undefined) parts.push(Buffer.from(`from ${parent}\n`));
  for (const [file, bytes] of files) {
    parts.push(Buffer.from(`M 100644 inline ${file}\ndata ${bytes.length}\n`), bytes, Buffer.from('\n'));
  }
  parts.push(Buffer.from('\n'));
  return Buffer.concat(parts);
}
