// readExactly: `length` bytes at `position` of an open file, in a buffer of
// their own (allocUnsafeSlow: never a slice of Node's shared pool, so a kept
// buffer pins nothing else), or into a buffer the caller gives and reuses
// (readExactlyInto). A read may return fewer bytes than asked; the rest is
// read again. A file that ends first is `ended()`, the caller's error.

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
