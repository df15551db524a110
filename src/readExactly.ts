// readExactly: `length` bytes at `position` of an open file, in a buffer of
// their own (allocUnsafeSlow: never a slice of Node's shared pool, so a kept
// buffer pins nothing else), or into a buffer the caller gives and reuses
// (readExactlyInto), or without waiting (readExactlySyncInto: a few
// kilobytes from the page cache, where a promise costs more than the read).
// A read may return fewer bytes than asked; the rest is read again. A file
// that ends first is `ended()`, the caller's error.

import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

export async function readExactly(handle: FileHandle, length: number, position: number, ended: () => Error): Promise<Buffer> {
  const buffer = Buffer.allocUnsafeSlow(length);
  await readExactlyInto(handle, buffer, position, ended);
  return buffer;
}

/** Fills `target` whole with the bytes at `position`. */
export async function readExactlyInto(handle: FileHandle, target: Uint8Array, position: number, ended: () => Error): Promise<void> {
  for (let filled = 0; filled < target.byteLength;) {
    const { bytesRead } = await handle.read(target, filled, target.byteLength - filled, position + filled);
    if (bytesRead === 0) throw ended();
    filled += bytesRead;
  }
}

/** readExactlyInto without waiting: a closed handle (fd -1) throws EBADF rather than read whatever took its number. */
export function readExactlySyncInto(handle: FileHandle, target: Uint8Array, position: number, ended: () => Error): void {
  for (let filled = 0; filled < target.byteLength;) {
    const read = readSync(handle.fd, target, filled, target.byteLength - filled, position + filled);
    if (read === 0) throw ended();
    filled += read;
  }
}
