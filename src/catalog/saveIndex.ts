// saveIndex: writes an encoded saved index atomically — a temporary file in
// the same folder, written, fsync'd, then renamed over the old one (and the
// folder fsync'd), so a crash leaves either the old file or the new one,
// never a torn one under the real name. Pieces the encoder copied from the
// previous save are read from `source`, that file opened before it was
// replaced (so they are the bytes that were written, whatever is at the path now).

import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { EncodedSavedIndex, SavedPiece } from './encodeSavedIndex.js';
import { readExactly } from './readExactly.js';

// writev takes at most IOV_MAX (1024 on Linux) buffers a call.
const BUFFERS_PER_WRITE = 1024;

/** Copied pieces are read in slices of at most this many bytes. */
const COPY_SLICE_BYTES = 4 * 1024 * 1024;

export async function saveIndex(file: string, encoded: EncodedSavedIndex, source?: FileHandle): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      for await (const buffers of batches(encoded.pieces, source)) await writeAll(handle, buffers);
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

/** The pieces as buffers, at most BUFFERS_PER_WRITE at a time, copied ones read from `source` a slice at a time. */
async function* batches(pieces: readonly SavedPiece[], source: FileHandle | undefined): AsyncGenerator<Uint8Array[]> {
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  for (const piece of pieces) {
    if (piece instanceof Uint8Array) {
      batch.push(piece);
      batchBytes += piece.byteLength;
    } else {
      if (source === undefined) throw new Error('saveIndex: a piece to copy, and no previous file to copy it from');
      for (let done = 0; done < piece.copy.length;) {
        const length = Math.min(COPY_SLICE_BYTES, piece.copy.length - done);
        batch.push(await readExactly(source, length, piece.copy.position + done, () => new Error('saveIndex: the previous saved index ended before a piece to copy')));
        batchBytes += length;
        done += length;
        if (batchBytes >= COPY_SLICE_BYTES) {
          yield batch;
          batch = [];
          batchBytes = 0;
        }
      }
    }
    if (batch.length >= BUFFERS_PER_WRITE) {
      yield batch;
      batch = [];
      batchBytes = 0;
    }
  }
  if (batch.length > 0) yield batch;
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
