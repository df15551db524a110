// SavedDetails: the details part of a saved index (every record's parsed
// fields: metadata, .SRCINFO, commit, problems), a third of the file that no
// prebuilt response needs. It stays on disk: a chunk is read, checked
// against its sha256 and decoded when a record's field is first asked for,
// and decoded chunks are kept until reads have stopped for KEEP_DECODED_MS.
// A save reads them differently (peek): it re-encodes the chunks pushes
// changed, one pass over each, and kept they would all be held at once
// (~115 MB at 10,000 branches after 1,000 pushes spread over the catalog).
// A peek keeps one chunk, the one peeked last.
// Decoded, the part takes 3–4 times its 35 MB at 10,000 branches, the
// largest thing a restarted service held; what asks for parsed fields is
// mostly a view of the whole catalog built on first use (search, the AUR
// records, catalog.json), which scans every record, often more than once,
// and keeps what it derived per record. So a burst of such scans decodes
// each chunk once, and an idle service holds none. Once the restart is serving, the whole part is read and verified in
// the background, so damage is found at once and not on some later request;
// a mismatch is a SavedIndexError, from then on for every read, and the
// caller rebuilds from git.
//
// The file is read through the descriptor the load opened (OpenSavedFile),
// which keeps the bytes that were verified for as long as any restored
// record is served.

import { deserializeSaved } from './decodeSavedIndex.js';
import type { FilePart } from './hashFileParts.js';
import type { OpenSavedFile } from './openSavedFile.js';
import { readExactlyInto } from '../readExactly.js';
import { PIECE_PREFIX_BYTES, sha256Hex, type SavedChunkDetails } from './savedIndex.js';
import { SavedIndexError } from './savedIndexError.js';

export interface SavedDetailsOptions {
  /** The saved index, open. */
  readonly file: OpenSavedFile;
  /** Per chunk of the structure part, where its details are in the file, length prefix included (checked by the caller to make up the part). */
  readonly parts: readonly FilePart[];
  /** Per chunk, the hex sha256 of its details. */
  readonly sha256s: readonly string[];
  /** How long decoded chunks are kept after the last read (KEEP_DECODED_MS); for tests. */
  readonly keepDecodedMs?: number;
  /** Called when decoded chunks were let go: they are garbage now, which an idle service would keep resident (see QuietCollector). */
  readonly onReleased?: () => void;
}

export const KEEP_DECODED_MS = 10_000;

interface Piece {
  /** Where its bytes start in the file (after the length prefix). */
  readonly position: number;
  readonly length: number;
  readonly sha256: string;
}

export class SavedDetails {
  readonly #file: OpenSavedFile;
  readonly #pieces: readonly Piece[];
  readonly #keepDecodedMs: number;
  readonly #onReleased: (() => void) | undefined;
  readonly #decoded = new Map<number, SavedChunkDetails>();
  #peeked: { readonly index: number; readonly value: SavedChunkDetails } | undefined;
  #lastReadAt = 0;
  #dropTimer: NodeJS.Timeout | undefined;
  #failure: SavedIndexError | undefined;
  #verifying: Promise<void> | undefined;

  constructor(options: SavedDetailsOptions) {
    this.#file = options.file;
    this.#pieces = options.parts.map(({ position, length }, at) => ({ position: position + PIECE_PREFIX_BYTES, length: length - PIECE_PREFIX_BYTES, sha256: options.sha256s[at]! }));
    this.#keepDecodedMs = options.keepDecodedMs ?? KEEP_DECODED_MS;
    this.#onReleased = options.onReleased;
  }

  /** The details of one chunk: read, verified and decoded now unless decoded since reads last stopped. */
  chunk(index: number): SavedChunkDetails {
    this.#startRead();
    const kept = this.#decoded.get(index);
    if (kept !== undefined) return kept;
    const value = this.#peekedChunk(index) ?? this.#decode(index);
    this.#decoded.set(index, value);
    this.#dropWhenIdle(this.#keepDecodedMs);
    return value;
  }

  /**
   * The details of one chunk for a single pass over it: a kept chunk if
   * there is one, else decoded now and held only until another chunk is
   * peeked (or reads stop for keepDecodedMs).
   */
  peek(index: number): SavedChunkDetails {
    this.#startRead();
    const kept = this.#decoded.get(index) ?? this.#peekedChunk(index);
    if (kept !== undefined) return kept;
    // Let go of the one peeked before, so that two are never held while decoding.
    this.#peeked = undefined;
    const value = this.#decode(index);
    this.#peeked = { index, value };
    this.#dropWhenIdle(this.#keepDecodedMs);
    return value;
  }

  #startRead(): void {
    if (this.#failure !== undefined) throw this.#failure;
    this.#lastReadAt = performance.now();
  }

  #peekedChunk(index: number): SavedChunkDetails | undefined {
    return this.#peeked?.index === index ? this.#peeked.value : undefined;
  }

  #decode(index: number): SavedChunkDetails {
    const piece = this.#pieces[index];
    if (piece === undefined) throw new Error(`SavedDetails: no chunk ${index}`);
    const bytes = this.#check(this.#readSync(piece), piece);
    const value = deserializeSaved(bytes) as SavedChunkDetails;
    // The checksum held, so another shape is a bug in encodeSavedIndex, not damage.
    if (!Array.isArray(value?.branches) || !Array.isArray(value.workers)) throw new Error('SavedDetails: saved details are not the shape encodeSavedIndex writes');
    return value;
  }

  /** Lets the decoded chunks go once no chunk was read for keepDecodedMs (one timer, re-armed for what is left). */
  #dropWhenIdle(delayMs: number): void {
    if (this.#dropTimer !== undefined) return;
    this.#dropTimer = setTimeout(() => {
      this.#dropTimer = undefined;
      const idleMs = performance.now() - this.#lastReadAt;
      if (idleMs < this.#keepDecodedMs) return this.#dropWhenIdle(this.#keepDecodedMs - idleMs);
      // One peeked chunk is not worth a full collection; kept ones are.
      const keptAny = this.#decoded.size > 0;
      this.#decoded.clear();
      this.#peeked = undefined;
      if (keptAny) this.#onReleased?.();
    }, delayMs);
    this.#dropTimer.unref();
  }

  /**
   * Reads the whole part and checks every chunk's length prefix and sha256,
   * one chunk per turn of the event loop; rejects with a SavedIndexError on
   * damage, after which every read throws it too.
   */
  verifyAll(pause: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve))): Promise<void> {
    return (this.#verifying ??= this.#verifyAll(pause));
  }

  async #verifyAll(pause: () => Promise<void>): Promise<void> {
    // One buffer for every chunk, prefix included: the check leaves nothing behind.
    const buffer = Buffer.allocUnsafeSlow(PIECE_PREFIX_BYTES + Math.max(0, ...this.#pieces.map((piece) => piece.length)));
    for (const piece of this.#pieces) {
      if (this.#failure !== undefined) throw this.#failure;
      const target = buffer.subarray(0, PIECE_PREFIX_BYTES + piece.length);
      try {
        await readExactlyInto(this.#file.handle, target, piece.position - PIECE_PREFIX_BYTES, endedEarly);
      } catch (error) {
        throw this.#fail(error instanceof SavedIndexError ? error : new SavedIndexError('SAVED_INDEX_MALFORMED', `the details part could not be read: ${String(error)}`));
      }
      if (target.readUInt32BE(0) !== piece.length) throw this.#fail(new SavedIndexError('SAVED_INDEX_MALFORMED', 'a details chunk is not the length the structure gives it'));
      this.#check(target.subarray(PIECE_PREFIX_BYTES), piece);
      await pause();
    }
  }

  #readSync(piece: Piece): Buffer {
    // A read that failed may succeed later; a file that ended will not.
    return this.#file.readSync(piece.position, piece.length, 'details part', () => this.#fail(endedEarly()));
  }

  /** The bytes, if they are the piece's; else the part is damaged, for good. */
  #check(bytes: Buffer, piece: Piece): Buffer {
    if (sha256Hex(bytes) !== piece.sha256) throw this.#fail(new SavedIndexError('SAVED_INDEX_CHECKSUM', 'the details part does not match its sha256'));
    return bytes;
  }

  #fail(error: SavedIndexError): SavedIndexError {
    // Checked before the decoded chunks are: none is handed out again.
    this.#failure ??= error;
    return this.#failure;
  }
}

function endedEarly(): SavedIndexError {
  return new SavedIndexError('SAVED_INDEX_MALFORMED', 'the file ended inside its details part');
}
