// OpenSavedFile: the descriptor of a loaded saved index, kept open for what
// reads the file after the load — the details part (SavedDetails) and every
// restored file and body (SavedBlobPart) — and closed once none of them is
// reachable any more.
//
// What is read through it stays what the load verified: the saver never
// writes a saved index in place (it renames a new file over it), so the
// descriptor keeps the verified file for as long as anything restored from
// it is served, whatever the path names by then.

import type { FileHandle } from 'node:fs/promises';
import { readExactlyInto, readExactlySyncInto } from '../readExactly.js';
import { SavedIndexError } from './savedIndexError.js';

/** Closes a descriptor once the OpenSavedFile that reads through it is collected. */
const openFiles = new FinalizationRegistry<FileHandle>((handle) => {
  void handle.close().catch(() => undefined);
});

export class OpenSavedFile {
  /** For the reads that may wait on the disk (verifying a part in the background). */
  readonly handle: FileHandle;
  readonly #onDamaged: ((error: Error) => void) | undefined;
  #damaged = false;

  /** `onDamaged` hears of the first read that fails or finds the file cut short: damage from outside since the load. */
  constructor(handle: FileHandle, onDamaged?: (error: Error) => void) {
    this.handle = handle;
    this.#onDamaged = onDamaged;
    openFiles.register(this, handle);
  }

  /**
   * `length` bytes at `position`, read now, in a buffer of their own. A read
   * that fails is a SAVED_INDEX_MALFORMED SavedIndexError naming `part`; a
   * file that ends first is `ended()`, the caller's error (as readExactly).
   */
  readSync(position: number, length: number, part: string, ended: () => Error): Buffer {
    const buffer = Buffer.allocUnsafe(length);
    this.readSyncInto(buffer, position, part, ended);
    return buffer;
  }

  /** Fills `target` with the bytes at `position`, as readSync. */
  readSyncInto(target: Uint8Array, position: number, part: string, ended: () => Error): void {
    let endedError: Error | undefined;
    try {
      readExactlySyncInto(this.handle, target, position, () => (endedError = ended()));
    } catch (error) {
      throw this.#failed(endedError !== undefined && error === endedError ? endedError : readFailed(part, error));
    }
  }

  /** Fills `target` with the bytes at `position` without holding the event loop up, as readSync. */
  async readInto(target: Uint8Array, position: number, part: string, ended: () => Error): Promise<void> {
    let endedError: Error | undefined;
    try {
      await readExactlyInto(this.handle, target, position, () => (endedError = ended()));
    } catch (error) {
      throw this.#failed(endedError !== undefined && error === endedError ? endedError : readFailed(part, error));
    }
  }

  #failed(error: Error): Error {
    if (!this.#damaged) {
      this.#damaged = true;
      this.#onDamaged?.(error);
    }
    return error;
  }
}

function readFailed(part: string, error: unknown): SavedIndexError {
  return new SavedIndexError('SAVED_INDEX_MALFORMED', `the ${part} could not be read: ${String(error)}`);
}
