// loadSavedIndex: reads the saved index file, if there is one, and turns it
// into the snapshot a restart rebuilds from. A worker thread reads and
// hashes both parts (hashFileParts) while this thread reads, decodes and
// restores them; nothing is returned before both checksums match. (WebCrypto's
// digest would copy its 120 MB input on this thread first, and hashing here
// costs ~80 ms at 10,000 branches on the critical path.) A file that fails
// any check is logged, deleted and ignored: the caller indexes from git.

import { createHash } from 'node:crypto';
import { hashFileParts } from './hashFileParts.js';
import { open, rm, type FileHandle } from 'node:fs/promises';
import type { GitLogger } from '../git/gitLogger.js';
import { decodeStructure, HEADER_PREFIX_BYTES, headerLength, parseHeader, type ExpectedSavedIndex } from './decodeSavedIndex.js';
import { restoreSavedSnapshot } from './restoreSavedSnapshot.js';
import { SavedDetails } from './savedDetails.js';
import type { SavedIndexHeader } from './savedIndex.js';
import { SavedIndexError, type SavedIndexProblem } from './savedIndexError.js';
import type { CatalogSnapshot } from './snapshot.js';

export interface LoadSavedIndexOptions extends ExpectedSavedIndex {
  readonly file: string;
  readonly logger: GitLogger;
}

/** Milliseconds of each step, for the log and the warm-restart measurement. */
export interface SavedIndexTimings {
  /** Reading the file's parts. */
  readonly readMs: number;
  /** v8-deserialising the structure part's columns (records' parsed fields wait: see restoreSavedSnapshot). */
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
     * Reads, verifies and decodes the records' parsed fields; call once the new
     * snapshot is served. Rejects with a SavedIndexError (the file is then
     * logged and deleted) when they are damaged: rebuild from git then.
     */
    decodeDetails(pause?: () => Promise<void>): Promise<void>;
    readonly header: SavedIndexHeader;
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
    // The details part is read later, through the same descriptor (SavedDetails closes it).
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

async function readOpened(handle: FileHandle, options: LoadSavedIndexOptions): Promise<LoadedSavedIndex> {
  const started = performance.now();
  const { size } = await handle.stat();
  const prefix = await readExactly(handle, Math.min(HEADER_PREFIX_BYTES, size), 0);
  const length = headerLength(prefix);
  if (HEADER_PREFIX_BYTES + length > size) throw new SavedIndexError('SAVED_INDEX_MALFORMED', 'the file ends inside its header');
  const { header, structureOffset } = parseHeader(await readExactly(handle, length, HEADER_PREFIX_BYTES), size, options);
  const structurePart = { position: structureOffset, length: header.structureBytes };
  const blobPart = { position: structureOffset + header.structureBytes, length: header.blobBytes };
  // Starting a worker costs tens of milliseconds: small files are hashed here (hashHere), as is
  // everything when the worker fails to start or read.
  const hashed = structurePart.length + blobPart.length >= WORKER_HASH_MIN_BYTES
    ? hashFileParts(handle.fd, [structurePart, blobPart]).then((digests) => digests, () => undefined)
    : Promise.resolve(undefined);
  try {
    // Two allocations, not one: the blob buffer stays alive under every served body, the structure's is garbage once decoded.
    const structure = await readExactly(handle, structurePart.length, structurePart.position);
    const blobs = await readExactly(handle, blobPart.length, blobPart.position);
    const read = performance.now();
    let decoded = read;
    let snapshot: CatalogSnapshot;
    let details: SavedDetails;
    try {
      const chunks = decodeStructure(structure);
      decoded = performance.now();
      details = new SavedDetails({ handle, position: blobPart.position + blobPart.length, length: header.detailsBytes, sha256: header.detailsSha256, chunks: chunks.length });
      snapshot = restoreSavedSnapshot(header, chunks, blobs, details);
    } catch (error) {
      // Damage makes decoding fail too; the checksum names the real cause.
      verify(await hashed ?? hashHere(structure, blobs), header);
      throw error;
    }
    const restored = performance.now();
    verify(await hashed ?? hashHere(structure, blobs), header);
    const verified = performance.now();
    return {
      kind: 'loaded',
      snapshot,
      decodeDetails: async (pause) => {
        try {
          await details.decodeAll(pause);
        } catch (error) {
          if (error instanceof SavedIndexError) await reject(options, error);
          throw error;
        }
      },
      header,
      bytes: size,
      timings: { readMs: read - started, decodeMs: decoded - read, restoreMs: restored - decoded, verifyWaitMs: verified - restored },
    };
  } finally {
    // The worker reads through the same descriptor: the caller closes it only after the worker is done.
    await hashed;
  }
}

/** From about here, hashing on this thread (~1.5 GB/s) takes longer than starting a worker for it. */
const WORKER_HASH_MIN_BYTES = 32 * 1024 * 1024;

function verify([structureSha256, blobsSha256]: readonly string[], header: SavedIndexHeader): void {
  if (structureSha256 !== header.structureSha256) throw new SavedIndexError('SAVED_INDEX_CHECKSUM', 'the structure part does not match its sha256');
  if (blobsSha256 !== header.blobsSha256) throw new SavedIndexError('SAVED_INDEX_CHECKSUM', 'the blob part does not match its sha256');
}

/** When no worker thread could hash: the same digests, on this thread. */
function hashHere(structure: Buffer, blobs: Buffer): string[] {
  return [structure, blobs].map((part) => createHash('sha256').update(part).digest('hex'));
}

/** `length` bytes at `position` into a buffer of their own. */
async function readExactly(handle: FileHandle, length: number, position: number): Promise<Buffer> {
  // allocUnsafeSlow: never a slice of Node's shared pool, so the buffer pins nothing else.
  const buffer = Buffer.allocUnsafeSlow(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new SavedIndexError('SAVED_INDEX_MALFORMED', 'the file ended early (truncated while it was read?)');
    filled += bytesRead;
  }
  return buffer;
}
