// nativeRead: the cold index's reference — native git reading the files the
// catalog reads (PKGBUILD, .SRCINFO, metadata.json, README.md) from every
// worker branch (every branch but the default one): one `git for-each-ref`, then one `git cat-file --batch` fed
// `<tip>:<file>` for each. The physical limit the issue measures us against.

import { spawn } from 'node:child_process';
import { SERVED_FILES } from '../../src/catalog/indexBranch.js';
import { git, TEST_GIT_ENV } from '../lib/nativeGit.js';

export interface NativeReadResult {
  readonly ms: number;
  readonly branches: number;
  /** Objects cat-file found and their bytes (a check that it read what was asked). */
  readonly blobs: number;
  readonly bytes: number;
  readonly missing: number;
}

export async function nativeRead(options: { gitdir: string; timeoutMs: number }): Promise<NativeReadResult> {
  const started = performance.now();
  // `%(HEAD)` marks the default branch with `*`: it holds no worker and the catalog skips it too.
  const refs = await git(['--git-dir', options.gitdir, 'for-each-ref', '--format=%(HEAD)%(objectname)', 'refs/heads/'], { timeoutMs: options.timeoutMs });
  const tips = refs.split('\n').filter((line) => line.length === 41 && line.startsWith(' ')).map((line) => line.slice(1));
  const input = tips.flatMap((tip) => SERVED_FILES.map((file) => `${tip}:${file}\n`)).join('');
  const output = await catFileBatch({ gitdir: options.gitdir, input, timeoutMs: options.timeoutMs });
  const ms = performance.now() - started;
  return { ms, branches: tips.length, ...parseBatchOutput(output) };
}

function catFileBatch(options: { gitdir: string; input: string; timeoutMs: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', options.gitdir, 'cat-file', '--batch'], { env: { ...TEST_GIT_ENV }, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(`git cat-file --batch ended with ${signal ?? code}: ${stderr}`));
    });
    child.stdin.end(options.input);
  });
}

/** Walks `git cat-file --batch` output: `<oid> <type> <size>\n<bytes>\n` per object, `<name> missing\n` per absent one. */
export function parseBatchOutput(output: Buffer): { blobs: number; bytes: number; missing: number } {
  let blobs = 0;
  let bytes = 0;
  let missing = 0;
  let at = 0;
  while (at < output.length) {
    const end = output.indexOf(0x0a, at);
    if (end === -1) throw new Error('cat-file output ends inside a header');
    const header = output.toString('latin1', at, end);
    at = end + 1;
    if (header.endsWith(' missing')) {
      missing += 1;
      continue;
    }
    const size = Number(header.split(' ')[2]);
    if (!Number.isInteger(size) || size < 0 || at + size + 1 > output.length) throw new Error(`bad cat-file header: ${header}`);
    blobs += 1;
    bytes += size;
    at += size + 1;
  }
  return { blobs, bytes, missing };
}
