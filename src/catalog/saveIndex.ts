// saveIndex: writes an encoded saved index atomically — a temporary file in
// the same folder, written, fsync'd, then renamed over the old one (and the
// folder fsync'd), so a crash leaves either the old file or the new one,
// never a torn one under the real name. Pieces the encoder copied from the
// previous save are read from `source`, that file opened before it was
// replaced (so they are the bytes that were written, whatever is at the path now),
// and restored files and bodies from the file they were restored from, all
// through one buffer reused from batch to batch: a save after a push copies
// ~40 MB of structure and details at 10,000 branches, and a fresh buffer per
// read left that much garbage outside the heap after every save, held until
// the next full collection (in an idle service, none comes).

import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { EncodedSavedIndex, SavedPiece } from './encodeSavedIndex.js';
import { readExactlyInto } from '../readExactly.js';
import { blobPartEnded } from './savedBlobPart.js';

// writev takes at most IOV_MAX (1024 on Linux) buffers a call.
const BUFFERS_PER_WRITE = 1024;

/** The buffer copied pieces are read into, a batch at a time. */
const COPY_BUFFER_BYTES = 4 * 1024 * 1024;

export interface SaveIndexOptions {
  /** The copy buffer's size (COPY_BUFFER_BYTES); tests make it tiny to reuse it many times. */
  readonly copyBufferBytes?: number;
}

export async function saveIndex(file: string, encoded: EncodedSavedIndex, source?: FileHandle, options: SaveIndexOptions = {}): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      // Each batch is written whole before the next is read: only then is the copy buffer reused.
      for await (const buffers of batches(encoded.pieces, source, options.copyBufferBytes ?? COPY_BUFFER_BYTES)) await writeAll(handle, buffers);
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

/**
 * The pieces as buffers, at most BUFFERS_PER_WRITE at a time; copied ones (a
 * range of `source`, or bytes kept in the file a record was restored from)
 * are read into one buffer of `copyBytes`, and a batch ends when it is full.
 * The caller writes each batch before asking for the next.
 */
async function* batches(pieces: readonly SavedPiece[], source: FileHandle | undefined, copyBytes: number): AsyncGenerator<Uint8Array[]> {
  let copyBuffer: Buffer | undefined;
  let batch: Uint8Array[] = [];
  let copyUsed = 0;
  for (const piece of pieces) {
    if (piece instanceof Uint8Array) {
      batch.push(piece);
    } else {
      const length = 'copy' in piece ? piece.copy.length : piece.kept.length;
      copyBuffer ??= Buffer.allocUnsafeSlow(copyBytes);
      for (let done = 0; done < length;) {
        const slice = copyBuffer.subarray(copyUsed, copyUsed + Math.min(copyBytes - copyUsed, length - done));
        await copyInto(slice, piece, done, source);
        batch.push(slice);
        copyUsed += slice.byteLength;
        done += slice.byteLength;
        if (copyUsed === copyBytes) {
          yield batch;
          batch = [];
          copyUsed = 0;
        }
      }
    }
    if (batch.length >= BUFFERS_PER_WRITE) {
      yield batch;
      batch = [];
      copyUsed = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

/** Fills `slice` with the bytes of a piece to copy, from `offset` on. */
function copyInto(slice: Uint8Array, piece: Exclude<SavedPiece, Uint8Array>, offset: number, source: FileHandle | undefined): Promise<void> {
  if ('kept' in piece) return piece.kept.file.readInto(slice, piece.kept.position + offset, 'blob part', blobPartEnded);
  if (source === undefined) throw new Error('saveIndex: a piece to copy, and no previous file to copy it from');
  return readExactlyInto(source, slice, piece.copy.position + offset, () => new Error('saveIndex: the previous saved index ended before a piece to copy'));
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
