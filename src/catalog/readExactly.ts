// readExactly: `length` bytes at `position` of an open file, in a buffer of
// their own (allocUnsafeSlow: never a slice of Node's shared pool, so a kept
// buffer pins nothing else). A read may return fewer bytes than asked; the
// rest is read again. A file that ends first is `ended()`, the caller's error.

import type { FileHandle } from 'node:fs/promises';

export async function readExactly(handle: FileHandle, length: number, position: number, ended: () => Error): Promise<Buffer> {
  const buffer = Buffer.allocUnsafeSlow(length);
  for (let filled = 0; filled < length;) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) throw ended();
    filled += bytesRead;
  }
  return buffer;
}
