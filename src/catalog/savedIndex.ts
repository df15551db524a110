// The on-disk format of a saved index: what a restart reads instead of
// re-indexing every branch. It holds a snapshot's branch records AND the
// responses already serialised from them (v1, legacy, clone-url, files, with
// their ETags), because re-serialising 10,000 entries costs about as much as
// the whole warm-restart budget.
//
//   "RBEEIDX1"  8 bytes of magic
//   u32 BE      byte length of the header
//   header      UTF-8 JSON, SavedIndexHeader
//   structure   `structureBytes`: per chunk of branches, [u32 BE length][v8.serialize(SavedChunk)]
//   blobs       `blobBytes`: per chunk, every body and branch file of its branches, back to back
//   details     `detailsBytes`: per chunk, in the same order, [u32 BE length][v8.serialize(SavedChunkDetails)]
//
// A restart reads and verifies the structure and the blobs — everything it
// serves — and reads the details (a third of the file, needed only by views
// such as search) after it is serving. Bytes live apart from the structure so
// that, once loaded, the served bodies are views of one buffer holding
// nothing else.
//
// Chunks are what makes a save after a push cheap: a chunk holds its own
// checksums (of its blobs and of its details) and blob offsets relative to
// where its blobs start, so a chunk whose branches did not change is written
// again as the same bytes, copied from the previous file (see
// encodeSavedIndex). Their boundaries depend on branch names alone (a branch
// whose name hashes to a multiple of the average ends one), so a branch
// created or deleted changes the one chunk it falls in, not every chunk after
// it. The header's structureSha256 covers every chunk's digest, so one read
// of the structure verifies all of it, and through it every other part.

import { createHash } from 'node:crypto';
import type { BranchRecord, RejectedCommit, WorkerRecord } from './branchRecord.js';

export const SAVED_INDEX_MAGIC = Buffer.from('RBEEIDX1');
/** Bump on any change to the layout or to what a saved value means. */
export const SAVED_INDEX_FORMAT = 2;

/** The `[u32 BE length]` before each chunk's piece of the structure and of the details. */
export const PIECE_PREFIX_BYTES = 4;
/** A header is a few hundred bytes; anything far larger is not one. */
export const MAX_HEADER_BYTES = 64 * 1024;
/**
 * Branches per chunk on average: a push re-encodes one chunk, and one chunk is
 * what a save does between two turns of the event loop.
 */
export const SAVE_CHUNK_BRANCHES = 64;
/** No chunk holds more, whatever its names hash to. */
export const MAX_CHUNK_BRANCHES = 256;

export interface SavedIndexHeader {
  readonly format: number;
  /** package.json's version of the service that wrote it: responses are shaped by the code. */
  readonly serviceVersion: string;
  /** Which repository the records came from (see repositoryIdentity). */
  readonly repository: string;
  /** The advertised clone URL: it is inside every v1 and clone-url body. */
  readonly gitUrl: string;
  readonly savedAt: string;
  /** The saved snapshot's id (branch names and tips). */
  readonly snapshotId: string;
  /** The saved snapshot's default branch; null when it had none. */
  readonly defaultBranch: { readonly name: string; readonly oid: string } | null;
  readonly branches: number;
  readonly structureBytes: number;
  readonly blobBytes: number;
  readonly detailsBytes: number;
  /** Hex sha256 of the hex sha256 of every structure chunk, in order, one per line (see piecesSha256). */
  readonly structureSha256: string;
}

/**
 * What a restart needs at once, for SAVE_CHUNK_BRANCHES branches, as columns
 * (a few arrays of strings and numbers decode far faster than thousands of
 * small objects): branch names and tips, worker ids, file oids, and every
 * served body's ETag, type, date and place in the blob part. Workers and files
 * are listed branch by branch, in order.
 */
export interface SavedChunk {
  readonly branchNames: string[];
  readonly branchOids: string[];
  /** Per branch: how many workers it yields. */
  readonly workerCounts: Uint32Array;
  /** The last-good state: branches whose tip was rejected, by index in this chunk. */
  readonly rejected: Array<readonly [branch: number, rejected: RejectedCommit]>;
  readonly workerIds: string[];
  readonly workerBranches: string[];
  /** Per worker: how many files its record holds. */
  readonly fileCounts: Uint32Array;
  readonly fileNames: string[];
  readonly fileOids: string[];
  /** Per file: offset from this chunk's first blob byte, length. */
  readonly fileBlobs: Float64Array;
  /** Per worker: 1 when its saved responses follow, 0 when it gets fresh ones on restart. */
  readonly served: Uint8Array;
  readonly contentTypes: string[];
  /** Per served worker: legacy, v1, clone-url, then one per file of its record, in order. */
  readonly bodyEtags: string[];
  readonly bodyTypes: Uint16Array;
  /** Milliseconds since the epoch; NaN for no Last-Modified. */
  readonly bodyModified: Float64Array;
  /** Per served worker: offset from this chunk's first blob byte, length of legacy, v1 and clone-url (files are their record's bytes). */
  readonly bodyBlobs: Float64Array;
  /** This chunk's share of the blob part, and its hex sha256. */
  readonly blobBytes: number;
  readonly blobsSha256: string;
  /** Byte length and hex sha256 of this chunk's piece of the details part (without its length prefix). */
  readonly detailsBytes: number;
  readonly detailsSha256: string;
}

/** The rest of each record, decoded on first use (see restoreSavedSnapshot): parsed files are most of the decoding cost. */
export interface SavedChunkDetails {
  readonly branches: ReadonlyArray<Pick<BranchRecord, 'commit' | 'problems'>>;
  readonly workers: ReadonlyArray<Omit<WorkerRecord, 'id' | 'branch' | 'files'>>;
}

/** The repository a saved index belongs to: a mirror by its (redacted) URL, a local repository by its git directory. */
export function repositoryIdentity(repo: { readonly kind: string; readonly gitdir: string; readonly url?: string | undefined }): string {
  return repo.kind === 'mirror' && repo.url !== undefined ? `mirror ${repo.url}` : `${repo.kind} ${repo.gitdir}`;
}

/** The digest the header keeps for a list of digests: one line each, in order. */
export function piecesSha256(digests: readonly string[]): string {
  return createHash('sha256').update(digests.join('\n')).digest('hex');
}

/** The hex sha256 of `bytes`, or of several buffers back to back: every checksum a chunk holds. */
export function sha256Hex(bytes: Uint8Array | readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  if (bytes instanceof Uint8Array) return hash.update(bytes).digest('hex');
  for (const buffer of bytes) hash.update(buffer);
  return hash.digest('hex');
}
