// loadSavedIndex: reads the saved index file, if there is one, and turns it
// into the snapshot a restart rebuilds from. The structure part is verified
// before it is decoded; then a worker thread reads each chunk's blobs and
// hashes them (hashFileParts) while this thread restores the records over
// the blob part, which stays in the file (SavedBlobPart), and nothing is
// returned before every checksum matches. (Hashing its 80 MB here costs
// ~60 ms at 10,000 branches on the critical path.) A file that fails any
// check is logged, deleted and ignored: the caller indexes from git.

import { hashFileParts, type FilePart } from './hashFileParts.js';
import { open, rm, type FileHandle } from 'node:fs/promises';
import type { GitLogger } from '../git/gitLogger.js';
import { decodeStructure, HEADER_PREFIX_BYTES, headerLength, parseHeader, type DecodedStructure, type ExpectedSavedIndex } from './decodeSavedIndex.js';
import type { SavedChunkLayout, SavedLayout } from './encodeSavedIndex.js';
import { OpenSavedFile } from './openSavedFile.js';
import { readExactly } from '../readExactly.js';
import { SavedBlobPart } from './savedBlobPart.js';
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
  /** Hears of the first read of a restored file or body that fails once the load is done (see OpenSavedFile). */
  readonly onDamaged?: (error: Error) => void;
}

/** Milliseconds of each step, for the log and the warm-restart measurement. */
export interface SavedIndexTimings {
  /** Reading the structure part (the blob part stays in the file; the details are read later). */
  readonly readMs: number;
  /** Verifying and v8-deserialising the structure part's columns (records' parsed fields wait: see restoreSavedSnapshot). */
  readonly decodeMs: number;
  /** Records and served workers rebuilt over the blob part, shapes checked. */
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
    // The blob and details parts are read later, through the same descriptor (OpenSavedFile closes it once unreachable).
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
  // The blob part stays in the file: every restored file and body is read from it when asked for
  // (SavedBlobPart), through this descriptor. It is hashed before anything restored over it is
  // returned. A large part is hashed on a worker thread that reads it itself, while this thread
  // restores the records; starting a worker costs tens of milliseconds, so a small part is hashed
  // here (hashHere), as is a large one when the worker fails to start or read.
  const onThread = header.blobBytes >= (options.threadReadMinBytes ?? WORKER_HASH_MIN_BYTES);
  const hashed = onThread ? (options.hashOnThread ?? hashFileParts)(handle.fd, blobParts).then((digests) => digests, () => undefined) : Promise.resolve(undefined);
  try {
    const file = new OpenSavedFile(handle, options.onDamaged);
    const blobs = new SavedBlobPart(file, blobStart, header.blobBytes);
    const details = new SavedDetails({ file, parts: detailsParts, sha256s: chunks.map((chunk) => chunk.detailsSha256), keepDecodedMs: options.keepDecodedMs, onReleased: options.onDetailsReleased });
    const { snapshot, chunks: restoredChunks } = await restoreSavedSnapshot(header, chunks, blobs, details, options.pause);
    const layout = savedLayout({ header, structureOffset, structure, decoded: decodedStructure, restored: restoredChunks, blobParts, detailsParts });
    const restored = performance.now();
    verify((await hashed) ?? await hashHere(handle, blobParts), chunks);
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
      timings: { readMs: structureRead - started, decodeMs: decoded - structureRead, restoreMs: restored - decoded, verifyWaitMs: verified - restored },
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
  /** Where each chunk's blobs are. */
  readonly blobParts: readonly FilePart[];
  /** Where each chunk's details are, length prefix included. */
  readonly detailsParts: readonly FilePart[];
}

/** The file's layout as encodeSavedIndex would have given it: pieces with their length prefixes. */
function savedLayout(parts: LayoutParts): SavedLayout {
  const { header, structureOffset, structure, decoded, restored, blobParts, detailsParts } = parts;
  const chunks = new Map<string, SavedChunkLayout>();
  decoded.chunks.forEach((chunk, at) => {
    const piece = decoded.pieces[at]!;
    const { records, answers } = restored[at]!;
    if (records.length === 0) return;
    chunks.set(records[0]!.name, {
      records,
      answers,
      structure: { position: structureOffset + piece.byteOffset - structure.byteOffset - PIECE_PREFIX_BYTES, length: PIECE_PREFIX_BYTES + piece.byteLength },
      blobs: blobParts[at]!,
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

/** When no worker thread hashed them: the same digests, on this thread, a chunk's part at a time. */
async function hashHere(handle: FileHandle, parts: readonly FilePart[]): Promise<string[]> {
  const digests: string[] = [];
  for (const { position, length } of parts) digests.push(sha256Hex(await readPart(handle, length, position)));
  return digests;
}

/** `length` bytes at `position`; a file that ends first is malformed (truncated while it was read?). */
function readPart(handle: FileHandle, length: number, position: number): Promise<Buffer> {
  return readExactly(handle, length, position, endedEarly);
}

function endedEarly(): SavedIndexError {
  return new SavedIndexError('SAVED_INDEX_MALFORMED', 'the file ended early (truncated while it was read?)');
}
