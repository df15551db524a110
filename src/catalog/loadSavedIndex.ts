// loadSavedIndex: reads the saved index file, if there is one, and turns it
// into the snapshot a restart rebuilds from. The structure part is verified
// before it is decoded; then a worker thread reads each chunk's blobs into
// shared memory and hashes them (hashFileParts) while this thread restores
// the records over that memory, and nothing is returned before every
// checksum matches. (WebCrypto's digest would copy its input on this thread
// first, and hashing 80 MB here costs ~60 ms at 10,000 branches on the
// critical path.) A file that fails any check is logged, deleted and
// ignored: the caller indexes from git.

import { hashFileParts, type FilePart } from './hashFileParts.js';
import { open, rm, type FileHandle } from 'node:fs/promises';
import type { GitLogger } from '../git/gitLogger.js';
import { decodeStructure, HEADER_PREFIX_BYTES, headerLength, parseHeader, type DecodedStructure, type ExpectedSavedIndex } from './decodeSavedIndex.js';
import type { SavedChunkLayout, SavedLayout } from './encodeSavedIndex.js';
import { readExactly, readExactlyInto } from './readExactly.js';
import { restoreSavedSnapshot, type RestoredChunk } from './restoreSavedSnapshot.js';
import { SavedDetails } from './savedDetails.js';
import { PIECE_PREFIX_BYTES, sha256Hex, type SavedChunk, type SavedIndexHeader } from './savedIndex.js';
import { SavedIndexError, type SavedIndexProblem } from './savedIndexError.js';
import type { CatalogSnapshot } from './snapshot.js';

export interface LoadSavedIndexOptions extends ExpectedSavedIndex {
  readonly file: string;
  readonly logger: GitLogger;
  /** From this size of blob part on, the hashing thread reads it (WORKER_HASH_MIN_BYTES); for tests. */
  readonly threadReadMinBytes?: number;
  /** Runs the hashing thread (hashFileParts); for tests, which make it fail to check the fallback here. */
  readonly hashOnThread?: typeof hashFileParts;
  /** How long decoded parsed fields are kept after the last read (see SavedDetails); for tests. */
  readonly keepDecodedMs?: number;
  /** Called whenever decoded parsed fields were let go (see SavedDetails). */
  readonly onDetailsReleased?: () => void;
  /** Run between restored chunks, by a service that loads while it serves (see restoreSavedSnapshot). */
  readonly pause?: () => Promise<void>;
}

/** Milliseconds of each step, for the log and the warm-restart measurement. */
export interface SavedIndexTimings {
  /** Reading the file's parts. */
  readonly readMs: number;
  /** Verifying and v8-deserialising the structure part's columns (records' parsed fields wait: see restoreSavedSnapshot). */
  readonly decodeMs: number;
  /** Records and served workers rebuilt over the blob buffer, shapes checked. */
  readonly restoreMs: number;
  /** Waiting for the worker thread's checksums once the rest was done (they run alongside). */
  readonly verifyWaitMs: number;
}

export type LoadedSavedIndex =
  | {
    readonly kind: 'loaded';
    readonly snapshot: CatalogSnapshot;
    /**
     * Reads and verifies the records' parsed fields (they are decoded when
     * read); call once the new snapshot is served. Rejects with a
     * SavedIndexError (the file is then logged and deleted) when they are
     * damaged: rebuild from git then.
     */
    verifyDetails(pause?: () => Promise<void>): Promise<void>;
    readonly header: SavedIndexHeader;
    /** Where each chunk is in the file, and what it was restored as: the saver copies the ones still served as they are. */
    readonly layout: SavedLayout;
    readonly bytes: number;
    readonly timings: SavedIndexTimings;
  }
  | { readonly kind: 'missing' }
  | { readonly kind: 'rejected'; readonly code: SavedIndexProblem; readonly reason: string };

export async function loadSavedIndex(options: LoadSavedIndexOptions): Promise<LoadedSavedIndex> {
  const { file } = options;
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  let owned = true;
  try {
    const loaded = await readOpened(handle, options);
    // The details part is read later, through the same descriptor (SavedDetails closes it once unreachable).
    owned = false;
    return loaded;
  } catch (error) {
    if (!(error instanceof SavedIndexError)) throw error;
    return reject(options, error);
  } finally {
    if (owned) await handle.close();
  }
}

async function reject(options: LoadSavedIndexOptions, error: SavedIndexError): Promise<LoadedSavedIndex> {
  const { file, logger } = options;
  // Another repository's state is not ours to delete; anything else is garbage now.
  const deleted = error.code !== 'SAVED_INDEX_OTHER_REPOSITORY';
  logger.warn({ file, code: error.code, reason: error.message, deleted }, 'the saved index cannot be used; indexing from git instead');
  if (deleted) await rm(file, { force: true });
  return { kind: 'rejected', code: error.code, reason: error.message };
}

/** The header of an open saved index, unchecked: enough to tell which file it is. */
export async function readHeader(handle: FileHandle): Promise<Partial<SavedIndexHeader>> {
  const length = headerLength(await readPart(handle, HEADER_PREFIX_BYTES, 0));
  return JSON.parse((await readPart(handle, length, HEADER_PREFIX_BYTES)).toString('utf8')) as Partial<SavedIndexHeader>;
}

async function readOpened(handle: FileHandle, options: LoadSavedIndexOptions): Promise<LoadedSavedIndex> {
  const started = performance.now();
  const { size } = await handle.stat();
  const prefix = await readPart(handle, Math.min(HEADER_PREFIX_BYTES, size), 0);
  const length = headerLength(prefix);
  if (HEADER_PREFIX_BYTES + length > size) throw new SavedIndexError('SAVED_INDEX_MALFORMED', 'the file ends inside its header');
  const { header, structureOffset } = parseHeader(await readPart(handle, length, HEADER_PREFIX_BYTES), size, options);
  // Verified before anything in it is decoded: its digest covers every other part's.
  const structure = await readPart(handle, header.structureBytes, structureOffset);
  const structureRead = performance.now();
  const decodedStructure = decodeStructure(structure, header);
  const { chunks } = decodedStructure;
  const decoded = performance.now();
  const blobStart = structureOffset + header.structureBytes;
  const blobParts = chunkParts(chunks, 'blobBytes', blobStart, header.blobBytes);
  // Each chunk's details are one length-prefixed piece (see savedIndex.ts).
  const detailsParts = chunkParts(chunks, 'detailsBytes', blobStart + header.blobBytes, header.detailsBytes, PIECE_PREFIX_BYTES);
  // A large blob part is read by the hashing thread, into shared memory, and hashed there as it
  // arrives, while this thread restores the records over that memory: the part is read from the
  // file once, off this thread. Restoring makes views only, and nothing reads them before the
  // digests match. Starting a worker costs tens of milliseconds: a small part is read and hashed
  // here (hashHere), as is a large one when the worker fails to start or read.
  const shared = header.blobBytes >= (options.threadReadMinBytes ?? WORKER_HASH_MIN_BYTES) ? new SharedArrayBuffer(header.blobBytes) : undefined;
  const hashed = shared !== undefined
    ? (options.hashOnThread ?? hashFileParts)(handle.fd, blobParts, { buffer: shared, start: blobStart }).then((digests) => digests, () => undefined)
    : Promise.resolve(undefined);
  try {
    // Its own allocation: the blob buffer stays alive under every served body, the structure's is garbage once decoded.
    const blobs = shared !== undefined ? Buffer.from(shared) : await readPart(handle, header.blobBytes, blobStart);
    const read = performance.now();
    const details = new SavedDetails({ handle, parts: detailsParts, sha256s: chunks.map((chunk) => chunk.detailsSha256), keepDecodedMs: options.keepDecodedMs, onReleased: options.onDetailsReleased });
    const { snapshot, chunks: restoredChunks } = await restoreSavedSnapshot(header, chunks, blobs, details, options.pause);
    const layout = savedLayout({ header, structureOffset, structure, decoded: decodedStructure, restored: restoredChunks, detailsParts });
    const restored = performance.now();
    let digests = await hashed;
    if (digests === undefined) {
      if (shared !== undefined) await readExactlyInto(handle, blobs, blobStart, endedEarly);
      digests = hashHere(blobs, blobParts, blobStart);
    }
    verify(digests, chunks);
    const verified = performance.now();
    return {
      kind: 'loaded',
      snapshot,
      verifyDetails: async (pause) => {
        try {
          await details.verifyAll(pause);
        } catch (error) {
          if (error instanceof SavedIndexError) await reject(options, error);
          throw error;
        }
      },
      header,
      layout,
      bytes: size,
      timings: { readMs: structureRead - started + (read - decoded), decodeMs: decoded - structureRead, restoreMs: restored - read, verifyWaitMs: verified - restored },
    };
  } finally {
    // The worker reads through the same descriptor: the caller closes it only after the worker is done.
    await hashed;
  }
}

interface LayoutParts {
  readonly header: SavedIndexHeader;
  readonly structureOffset: number;
  readonly structure: Buffer;
  readonly decoded: DecodedStructure;
  readonly restored: readonly RestoredChunk[];
  /** Where each chunk's details are, length prefix included. */
  readonly detailsParts: readonly FilePart[];
}

/** The file's layout as encodeSavedIndex would have given it: pieces with their length prefixes. */
function savedLayout(parts: LayoutParts): SavedLayout {
  const { header, structureOffset, structure, decoded, restored, detailsParts } = parts;
  const chunks = new Map<string, SavedChunkLayout>();
  decoded.chunks.forEach((chunk, at) => {
    const piece = decoded.pieces[at]!;
    const { records, answers } = restored[at]!;
    if (records.length === 0) return;
    chunks.set(records[0]!.name, {
      records,
      answers,
      structure: { position: structureOffset + piece.byteOffset - structure.byteOffset - PIECE_PREFIX_BYTES, length: PIECE_PREFIX_BYTES + piece.byteLength },
      details: detailsParts[at]!,
      structureSha256: decoded.digests[at]!,
      blobBytes: chunk.blobBytes,
    });
  });
  return { structureSha256: header.structureSha256, chunks };
}

/** From about here, hashing on this thread (~1.5 GB/s) takes longer than starting a worker for it. */
const WORKER_HASH_MIN_BYTES = 32 * 1024 * 1024;

const PART_NAMES = { blobBytes: 'blobs', detailsBytes: 'details' } as const;

/**
 * Where each chunk's piece of a part is in the file: one after another from
 * `start`, `prefixBytes` plus the size the chunk gives; the sizes must add up
 * to the part's, `total`.
 */
function chunkParts(chunks: readonly SavedChunk[], size: keyof typeof PART_NAMES, start: number, total: number, prefixBytes = 0): FilePart[] {
  let position = start;
  const parts = chunks.map((chunk) => {
    const bytes = (chunk as Partial<SavedChunk>)[size];
    if (!Number.isSafeInteger(bytes) || bytes! < 0) throw new SavedIndexError('SAVED_INDEX_SHAPE', `a saved chunk lacks the size of its ${PART_NAMES[size]}`);
    const part = { position, length: prefixBytes + bytes! };
    position += part.length;
    return part;
  });
  if (position - start !== total) throw new SavedIndexError('SAVED_INDEX_SHAPE', `the chunks' ${PART_NAMES[size]} add up to ${position - start} bytes; the header says ${total}`);
  return parts;
}

function verify(digests: readonly string[], chunks: readonly SavedChunk[]): void {
  if (digests.length !== chunks.length || chunks.some((chunk, at) => chunk.blobsSha256 !== digests[at])) {
    throw new SavedIndexError('SAVED_INDEX_CHECKSUM', 'the blob part does not match its sha256');
  }
}

/** When no worker thread hashed them: the same digests, on this thread. */
function hashHere(blobs: Buffer, parts: readonly FilePart[], blobStart: number): string[] {
  return parts.map(({ position, length }) => sha256Hex(blobs.subarray(position - blobStart, position - blobStart + length)));
}

/** `length` bytes at `position`; a file that ends first is malformed (truncated while it was read?). */
function readPart(handle: FileHandle, length: number, position: number): Promise<Buffer> {
  return readExactly(handle, length, position, endedEarly);
}

function endedEarly(): SavedIndexError {
  return new SavedIndexError('SAVED_INDEX_MALFORMED', 'the file ended early (truncated while it was read?)');
}
