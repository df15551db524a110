// loadSavedIndex: reads the saved index file, if there is one, and turns it
// into the snapshot a restart rebuilds from. Both parts are hashed on the
// thread pool (WebCrypto's digest) while the main thread decodes the
// structure; nothing is returned before both checksums match. A file that
// fails any check is logged, deleted and ignored: the caller indexes from git.

import { webcrypto } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import type { GitLogger } from '../git/gitLogger.js';
import { decodeStructure, HEADER_PREFIX_BYTES, headerLength, parseHeader, type ExpectedSavedIndex } from './decodeSavedIndex.js';
import { restoreSavedSnapshot, type RestoredSnapshot } from './restoreSavedSnapshot.js';
import type { SavedIndexHeader } from './savedIndex.js';
import { SavedIndexError, type SavedIndexProblem } from './savedIndexError.js';
import type { CatalogSnapshot } from './snapshot.js';

export interface LoadSavedIndexOptions extends ExpectedSavedIndex {
  readonly file: string;
  readonly logger: GitLogger;
}

/** Milliseconds of each step, for the log and the warm-restart measurement. */
export interface SavedIndexTimings {
  /** Opening the file and reading its parts. */
  readonly readMs: number;
  /** v8-deserialising the structure part's columns (records' parsed fields wait: see restoreSavedSnapshot). */
  readonly decodeMs: number;
  /** Records and served workers rebuilt over the blob buffer, shapes checked. */
  readonly restoreMs: number;
  /** Waiting for the checksums once the rest was done (they run alongside decode and restore). */
  readonly verifyWaitMs: number;
}

export type LoadedSavedIndex =
  | {
    readonly kind: 'loaded';
    readonly snapshot: CatalogSnapshot;
    /** Decodes the records' parsed fields in the background; call once the new snapshot is served. */
    readonly decodeDetails: RestoredSnapshot['decodeDetails'];
    readonly header: SavedIndexHeader;
    readonly bytes: number;
    readonly timings: SavedIndexTimings;
  }
  | { readonly kind: 'missing' }
  | { readonly kind: 'rejected'; readonly code: SavedIndexProblem; readonly reason: string };

export async function loadSavedIndex(options: LoadSavedIndexOptions): Promise<LoadedSavedIndex> {
  const { file, logger } = options;
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  try {
    return await readOpened(handle, options);
  } catch (error) {
    if (!(error instanceof SavedIndexError)) throw error;
    // Another repository's state is not ours to delete; anything else is garbage now.
    const deleted = error.code !== 'SAVED_INDEX_OTHER_REPOSITORY';
    logger.warn({ file, code: error.code, reason: error.message, deleted }, 'the saved index cannot be used; indexing from git instead');
    if (deleted) await rm(file, { force: true });
    return { kind: 'rejected', code: error.code, reason: error.message };
  } finally {
    await handle.close();
  }
}

async function readOpened(handle: FileHandle, options: LoadSavedIndexOptions): Promise<LoadedSavedIndex> {
  const started = performance.now();
  const { size } = await handle.stat();
  const prefix = await readExactly(handle, Math.min(HEADER_PREFIX_BYTES, size), 0);
  const length = headerLength(prefix);
  if (HEADER_PREFIX_BYTES + length > size) throw new SavedIndexError('SAVED_INDEX_MALFORMED', 'the file ends inside its header');
  const { header, structureOffset } = parseHeader(await readExactly(handle, length, HEADER_PREFIX_BYTES), size, options);
  // Two allocations, not one: the blob buffer stays alive under every served body, the structure's is garbage once decoded.
  const structure = await readExactly(handle, header.structureBytes, structureOffset);
  const blobs = await readExactly(handle, header.blobBytes, structureOffset + header.structureBytes);
  const read = performance.now();

  const checks = Promise.all([sha256(structure), sha256(blobs)]);
  let decoded = read;
  let restoredSnapshot: RestoredSnapshot;
  try {
    const chunks = decodeStructure(structure);
    decoded = performance.now();
    restoredSnapshot = restoreSavedSnapshot(header, chunks, blobs);
  } catch (error) {
    // Damage makes decoding fail too; the checksum names the real cause.
    await verify(checks, header);
    throw error;
  }
  const restored = performance.now();
  await verify(checks, header);
  const verified = performance.now();
  return {
    kind: 'loaded',
    snapshot: restoredSnapshot.snapshot,
    decodeDetails: restoredSnapshot.decodeDetails,
    header,
    bytes: size,
    timings: { readMs: read - started, decodeMs: decoded - read, restoreMs: restored - decoded, verifyWaitMs: verified - restored },
  };
}

async function verify(checks: Promise<[string, string]>, header: SavedIndexHeader): Promise<void> {
  const [structureSha256, blobsSha256] = await checks;
  if (structureSha256 !== header.structureSha256) throw new SavedIndexError('SAVED_INDEX_CHECKSUM', 'the structure part does not match its sha256');
  if (blobsSha256 !== header.blobsSha256) throw new SavedIndexError('SAVED_INDEX_CHECKSUM', 'the blob part does not match its sha256');
}

async function sha256(bytes: Buffer): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
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
