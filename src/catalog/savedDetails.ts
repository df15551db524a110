// SavedDetails: the details part of a saved index (every record's parsed
// fields: metadata, .SRCINFO, commit, problems), read and verified once the
// restart is already serving — a third of the file that no prebuilt response
// needs. Nothing in it is decoded before every chunk's sha256 matches. A record read
// before the background load got there reads the part synchronously; a
// mismatch is a SavedIndexError, and the caller rebuilds from git.

import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { deserializeSaved, splitPart } from './decodeSavedIndex.js';
import { readExactly } from './readExactly.js';
import { sha256Hex, type SavedChunkDetails } from './savedIndex.js';
import { SavedIndexError } from './savedIndexError.js';

export interface SavedDetailsOptions {
  /** The saved index, open; this object closes it once the part is read. */
  readonly handle: FileHandle;
  readonly position: number;
  readonly length: number;
  /** Per chunk of the structure part, the hex sha256 of its details: the details must have as many chunks. */
  readonly sha256s: readonly string[];
}

export class SavedDetails {
  readonly #options: SavedDetailsOptions;
  #handle: FileHandle | undefined;
  #pieces: Buffer[] | undefined;
  readonly #decoded: Array<SavedChunkDetails | undefined> = [];
  #failure: SavedIndexError | undefined;
  #loading: Promise<void> | undefined;

  constructor(options: SavedDetailsOptions) {
    this.#options = options;
    this.#handle = options.handle;
  }

  /** The details of one chunk; reads the part now if the background load has not yet. */
  chunk(index: number): SavedChunkDetails {
    const decoded = this.#decoded[index];
    if (decoded !== undefined) return decoded;
    if (this.#pieces === undefined && this.#failure === undefined) this.#accept(this.#readSync());
    if (this.#failure !== undefined) throw this.#failure;
    const piece = this.#pieces?.[index];
    if (piece === undefined) throw new Error(`SavedDetails: no chunk ${index}`);
    const value = deserializeSaved(piece) as SavedChunkDetails;
    // The checksum held, so another shape is a bug in encodeSavedIndex, not damage.
    if (!Array.isArray(value?.branches) || !Array.isArray(value.workers)) throw new Error('SavedDetails: saved details are not the shape encodeSavedIndex writes');
    this.#decoded[index] = value;
    return value;
  }

  /** Reads and verifies the part, then decodes every chunk, one per turn of the event loop. Rejects with a SavedIndexError on damage. */
  async decodeAll(pause: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve))): Promise<void> {
    await (this.#loading ??= this.#load());
    if (this.#failure !== undefined) throw this.#failure;
    for (let index = 0; index < this.#options.sha256s.length; index += 1) {
      this.chunk(index);
      await pause();
    }
    // Every chunk is decoded: the part's bytes can go.
    this.#pieces = [];
  }

  async #load(): Promise<void> {
    const handle = this.#handle;
    if (handle === undefined || this.#pieces !== undefined) return;
    const { position, length } = this.#options;
    try {
      const buffer = await readExactly(handle, length, position, () => new SavedIndexError('SAVED_INDEX_MALFORMED', 'the file ended inside its details part'));
      // A synchronous read may have got there first.
      if (this.#pieces === undefined && this.#failure === undefined) this.#accept(buffer);
    } catch (error) {
      this.#failure ??= error instanceof SavedIndexError ? error : new SavedIndexError('SAVED_INDEX_MALFORMED', `the details part could not be read: ${String(error)}`);
    } finally {
      await this.#close();
    }
  }

  #readSync(): Buffer {
    const { position, length } = this.#options;
    const buffer = Buffer.allocUnsafeSlow(length);
    if (this.#handle === undefined) {
      this.#failure = new SavedIndexError('SAVED_INDEX_MALFORMED', 'the details part is no longer readable');
      return buffer;
    }
    for (let filled = 0; filled < length;) {
      const read = readSync(this.#handle.fd, buffer, filled, length - filled, position + filled);
      if (read === 0) {
        this.#failure = new SavedIndexError('SAVED_INDEX_MALFORMED', 'the file ended inside its details part');
        break;
      }
      filled += read;
    }
    return buffer;
  }

  /** Checks the chunk count and every chunk's sha256; keeps the pieces or records the failure. */
  #accept(buffer: Buffer): void {
    if (this.#failure !== undefined) return;
    const { sha256s } = this.#options;
    try {
      // Each piece's digest is in the verified structure: a piece that is not there or not the same is damage.
      const pieces = splitOrUndefined(buffer);
      if (pieces === undefined || pieces.length !== sha256s.length || pieces.some((piece, at) => sha256Hex(piece) !== sha256s[at])) {
        throw new SavedIndexError('SAVED_INDEX_CHECKSUM', 'the details part does not match its sha256');
      }
      this.#pieces = pieces;
    } catch (error) {
      this.#failure = error instanceof SavedIndexError ? error : new SavedIndexError('SAVED_INDEX_MALFORMED', String(error));
    }
  }

  async #close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }
}

function splitOrUndefined(part: Buffer): Buffer[] | undefined {
  try {
    return splitPart(part);
  } catch {
    return undefined;
  }
}
