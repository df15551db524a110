// SavedBlobPart: a range of a saved index's blob part (the whole part, or one
// chunk's share of it), read from the file when a restored file or body is
// read. The bytes stay in the file, not in this process: at 10,000 branches
// the part is 80 MB — most of what a restarted service held resident —
// while what is read of it is one file or body per request, a positional
// read of a few kB out of the page cache (~2–4 µs). The load hashed the whole
// part before anything was restored over it (loadSavedIndex), and the
// descriptor keeps the file that was hashed (OpenSavedFile).

import type { OpenSavedFile } from './openSavedFile.js';
import { SavedIndexError } from './savedIndexError.js';

/**
 * Bytes kept in a saved index file: where they are, for what writes or
 * hashes them (a save), which copies them through a buffer it reuses, a part
 * at a time, rather than read each into a buffer of its own. A save
 * re-encodes ~64 branches per pushed chunk, and reading every restored file
 * and body into its own buffer left a save after 200 pushes holding ~65 MB of
 * small buffers at once, malloc'd space the process kept once they were freed.
 */
export interface KeptBytes {
  readonly file: OpenSavedFile;
  readonly position: number;
  readonly length: number;
}

export class SavedBlobPart {
  readonly #file: OpenSavedFile;
  /** Where this range starts in the file. */
  readonly #position: number;
  readonly length: number;

  constructor(file: OpenSavedFile, position: number, length: number) {
    this.#file = file;
    this.#position = position;
    this.length = length;
  }

  /** The range of `length` bytes from `offset` of this one (offsets inside a chunk count from its start). */
  part(offset: number, length: number): SavedBlobPart {
    if (offset < 0 || length < 0 || offset + length > this.length) throw new RangeError('a part lies outside the blob part');
    return new SavedBlobPart(this.#file, this.#position + offset, length);
  }

  /** The `length` bytes at `offset` of this range, read now, in a buffer of their own. */
  read(offset: number, length: number): Buffer {
    return this.#file.readSync(this.#position + offset, length, 'blob part', blobPartEnded);
  }

  /** Where the `length` bytes at `offset` of this range are in the file. */
  kept(offset: number, length: number): KeptBytes {
    return { file: this.#file, position: this.#position + offset, length };
  }
}

/** The error of a read that found the file ended inside its blob part. */
export function blobPartEnded(): SavedIndexError {
  return new SavedIndexError('SAVED_INDEX_MALFORMED', 'the file ended inside its blob part');
}
