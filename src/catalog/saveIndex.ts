// saveIndex: writes an encoded saved index atomically — a temporary file in
// the same folder, written, fsync'd, then renamed over the old one (and the
// folder fsync'd), so a crash leaves either the old file or the new one,
// never a torn one under the real name.

import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { EncodedSavedIndex } from './encodeSavedIndex.js';

// writev takes at most IOV_MAX (1024 on Linux) buffers a call.
const BUFFERS_PER_WRITE = 1024;

export async function saveIndex(file: string, encoded: EncodedSavedIndex): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      for (let start = 0; start < encoded.buffers.length; start += BUFFERS_PER_WRITE) {
        await writeAll(handle, encoded.buffers.slice(start, start + BUFFERS_PER_WRITE));
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(dir);
}

/** writev may write less than asked; the rest is written again. */
async function writeAll(handle: FileHandle, buffers: readonly Uint8Array[]): Promise<void> {
  let pending = buffers.filter((buffer) => buffer.byteLength > 0);
  while (pending.length > 0) {
    let { bytesWritten } = await handle.writev(pending as Uint8Array[]);
    const rest: Uint8Array[] = [];
    for (const buffer of pending) {
      if (bytesWritten >= buffer.byteLength) {
        bytesWritten -= buffer.byteLength;
        continue;
      }
      rest.push(bytesWritten === 0 ? buffer : buffer.subarray(bytesWritten));
      bytesWritten = 0;
    }
    pending = rest;
  }
}

/** Makes the rename itself durable; not every platform can fsync a folder, which is then left to the OS. */
async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM/EINVAL on some systems: the data itself is already fsync'd.
  } finally {
    await handle?.close();
  }
}
