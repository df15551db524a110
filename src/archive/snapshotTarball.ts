// snapshotTarball: a commit's tree as a reproducible .tar.gz, like the AUR's
// snapshot URL. Everything that could vary between builds is fixed: entries
// sorted by path under one top folder, mtime = commit time, uid/gid 0, empty
// user and group names, modes from git's file modes (0644, 0755, folders
// 0755, symlinks 0777 as symlinks), submodules left out, and gzip's own
// header (no name, mtime 0) at a fixed level. The same tree and time always
// give the same bytes.

import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { UnsafeArchivePathError } from './unsafeArchivePathError.js';

const gzipAsync = promisify(gzip);

export interface ArchiveEntry {
  /** `/`-joined, relative to the tree's root. */
  readonly path: string;
  /** Git file mode as octal text. */
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly bytes?: Uint8Array;
}

export interface SnapshotTarballOptions {
  /** The one top folder every entry lives under (the worker id, as the AUR names its snapshots). */
  readonly folder: string;
  /** Seconds since the epoch: every entry's mtime. */
  readonly time: number;
  readonly entries: readonly ArchiveEntry[];
}

export interface SnapshotTarball {
  readonly bytes: Buffer;
  /** sha256 of `bytes`. */
  readonly sha256: Buffer;
}

interface TarItem {
  readonly header: Partial<tar.Header> & Pick<tar.Header, 'name'>;
  readonly body: Buffer | undefined;
}

export async function snapshotTarball(options: SnapshotTarballOptions): Promise<SnapshotTarball> {
  const mtime = new Date(options.time * 1000);
  const items: Array<{ key: Buffer; item: TarItem }> = [];
  const add = (path: string, item: Omit<Partial<tar.Header>, 'name' | 'uid' | 'gid' | 'uname' | 'gname' | 'mtime'>, body?: Buffer): void => {
    const name = `${options.folder}/${path}`;
    items.push({ key: Buffer.from(name, 'utf8'), item: { header: { ...item, name, uid: 0, gid: 0, uname: '', gname: '', mtime }, body } });
  };
  checkSafeName(options.folder);
  add('', { type: 'directory', mode: 0o755 });
  for (const entry of options.entries) {
    entry.path.split('/').forEach(checkSafeName);
    if (entry.type === 'commit') continue;
    if (entry.type === 'tree') add(`${entry.path}/`, { type: 'directory', mode: 0o755 });
    else if (entry.mode === '120000') add(entry.path, { type: 'symlink', mode: 0o777, linkname: Buffer.from(entry.bytes ?? []).toString('utf8') });
    else {
      const body = Buffer.from(entry.bytes ?? []);
      add(entry.path, { type: 'file', mode: entry.mode === '100755' ? 0o755 : 0o644, size: body.byteLength }, body);
    }
  }
  // Byte order of the full names: a folder sorts before what it holds, as `x/` precedes `x/…`.
  items.sort((a, b) => Buffer.compare(a.key, b.key));
  const tarBytes = await packTar(items.map(({ item }) => item));
  const bytes = await gzipAsync(tarBytes, { level: 9 });
  return { bytes, sha256: createHash('sha256').update(bytes).digest() };
}

async function packTar(items: readonly TarItem[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const { header, body } of items) {
    await new Promise<void>((resolve, reject) => {
      pack.entry(header, body ?? Buffer.alloc(0), (error) => (error ? reject(error) : resolve()));
    });
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}

function checkSafeName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) throw new UnsafeArchivePathError(name);
}
