// encodeSavedIndex: a snapshot as the pieces of a saved index file (see
// savedIndex.ts), in order. Fresh bodies and files are not copied: the blob
// part lists the snapshot's own buffers. Given the layout of the previous
// save, a chunk whose branch records and served answers are the very same
// objects as then is not encoded again: its structure, blobs and details are
// copied from the previous file (a push changes one chunk of ~150 at 10,000
// branches), so restored bytes, which stay in that file, are not read into
// memory to be written again. The chunks that are encoded go one per turn of
// the event loop, so a save never holds requests up for more than one.

import { createHash } from 'node:crypto';
import { serialize } from 'node:v8';
import type { BranchFile, BranchRecord, WorkerRecord } from './branchRecord.js';
import type { CachedBody } from './cachedBody.js';
import type { FilePart } from './hashFileParts.js';
import { keptBytes } from './restoredBodies.js';
import { peekSavedBranch, peekSavedWorker } from './restoreSavedSnapshot.js';
import { blobPartEnded, type KeptBytes } from './savedBlobPart.js';
import { piecesSha256, SAVE_CHUNK_BRANCHES, SAVED_INDEX_FORMAT, SAVED_INDEX_MAGIC, sha256Hex, type SavedChunk, type SavedChunkDetails, type SavedIndexHeader } from './savedIndex.js';
import { chunkBranches } from './savedIndexChunks.js';
import type { CatalogSnapshot, ServedWorker } from './snapshot.js';

export interface EncodeSavedIndexOptions {
  readonly snapshot: CatalogSnapshot;
  readonly serviceVersion: string;
  readonly repository: string;
  readonly gitUrl: string;
  readonly now?: () => Date;
  /** Branches per chunk on average (SAVE_CHUNK_BRANCHES); tests use small ones to cross chunk boundaries. */
  readonly chunkBranches?: number;
  /** Called between encoded chunks; a turn of the event loop by default. */
  readonly pause?: () => Promise<void>;
  /** Where the chunks of the file `pieces` may copy from lie, and what they held. */
  readonly previous?: SavedLayout;
}

/**
 * A piece of the file: bytes to write, a range of the previous file to copy
 * as it is, or a restored file or body, whose bytes are in the file it was
 * restored from.
 */
export type SavedPiece = Uint8Array | { readonly copy: FilePart } | { readonly kept: KeptBytes };

/** Files and bodies as the blob part lists them: their own buffers, or bytes kept in a saved file (restored ones). */
type BlobPiece = Uint8Array | KeptBytes;

/** One chunk as written: what it was made from (compared by identity) and where its pieces are. */
export interface SavedChunkLayout {
  readonly records: readonly BranchRecord[];
  /** Per worker of `records`, in order: the served answer saved with it, if any. */
  readonly answers: ReadonlyArray<ServedWorker | undefined>;
  /** Its structure and details pieces, length prefixes included, and its range of the blob part. */
  readonly structure: FilePart;
  readonly blobs: FilePart;
  readonly details: FilePart;
  readonly structureSha256: string;
  readonly blobBytes: number;
}

/** The chunks of one saved file, by the name of each chunk's first branch. */
export interface SavedLayout {
  /** The file's structureSha256: which file this is the layout of. */
  readonly structureSha256: string;
  readonly chunks: ReadonlyMap<string, SavedChunkLayout>;
}

export interface EncodedSavedIndex {
  readonly header: SavedIndexHeader;
  /** The whole file, in order. */
  readonly pieces: readonly SavedPiece[];
  readonly bytes: number;
  /** Where each chunk lands in this file, for the next save to copy from. */
  readonly layout: SavedLayout;
  readonly encodedChunks: number;
  readonly copiedChunks: number;
}

/** About this many branches are encoded between two pauses (one chunk at most, as MAX_CHUNK_BRANCHES allows more). */
const BRANCHES_PER_STEP = 64;
/** Comparing a chunk with the previous save's costs roughly this many times less than encoding it. */
const COMPARE_COST_RATIO = 8;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface ChunkOut {
  readonly key: string;
  readonly records: readonly BranchRecord[];
  readonly answers: ReadonlyArray<ServedWorker | undefined>;
  readonly blobBytes: number;
  readonly structureSha256: string;
  /** Fresh bytes (structure and details without length prefix), or the previous file's pieces. */
  readonly blobs: readonly BlobPiece[] | FilePart;
  readonly structure: Uint8Array | FilePart;
  readonly details: Uint8Array | FilePart;
}

export async function encodeSavedIndex(options: EncodeSavedIndexOptions): Promise<EncodedSavedIndex> {
  const { snapshot, pause = nextTurn, now = () => new Date(), previous } = options;
  const records = [...snapshot.branches.values()];
  const out: ChunkOut[] = [];
  let encodedChunks = 0;
  // Work since the last pause, in branches: an encoded chunk counts whole, a copied one is only compared.
  let sincePause = 0;
  for (const chunkRecords of chunkBranches(records, options.chunkBranches ?? SAVE_CHUNK_BRANCHES)) {
    if (sincePause >= BRANCHES_PER_STEP) {
      await pause();
      sincePause = 0;
    }
    const key = chunkRecords[0]!.name;
    const before = previous?.chunks.get(key);
    if (before !== undefined && sameObjects(before.records, chunkRecords) && servedAsBefore(before, snapshot.workers)) {
      // The same records and answers: the previous file holds all three pieces as they would be written now.
      out.push({ ...before, key });
      sincePause += chunkRecords.length / COMPARE_COST_RATIO;
      continue;
    }
    sincePause += BRANCHES_PER_STEP;
    encodedChunks += 1;
    const answers = savedAnswers(chunkRecords, snapshot.workers);
    const blobs = blobsOf(chunkRecords, answers);
    const blobBytes = blobs.reduce((sum, blob) => sum + blobLength(blob), 0);
    const { chunk, details } = saveChunk(chunkRecords, answers);
    const detailsBytes = serialize(details);
    const structureBytes = serialize({ ...chunk, blobBytes, blobsSha256: blobsSha256(blobs), detailsBytes: detailsBytes.byteLength, detailsSha256: sha256Hex(detailsBytes) } satisfies SavedChunk);
    out.push({ key, records: chunkRecords, answers, blobs, blobBytes, structureSha256: sha256Hex(structureBytes), structure: structureBytes, details: detailsBytes });
  }

  const pieceBytes = (piece: Uint8Array | FilePart): number => (piece instanceof Uint8Array ? 4 + piece.byteLength : piece.length);
  const structureBytes = out.reduce((sum, chunk) => sum + pieceBytes(chunk.structure), 0);
  const blobBytes = out.reduce((sum, chunk) => sum + chunk.blobBytes, 0);
  const detailsBytes = out.reduce((sum, chunk) => sum + pieceBytes(chunk.details), 0);
  const header: SavedIndexHeader = {
    format: SAVED_INDEX_FORMAT,
    serviceVersion: options.serviceVersion,
    repository: options.repository,
    gitUrl: options.gitUrl,
    savedAt: now().toISOString(),
    snapshotId: snapshot.id,
    defaultBranch: snapshot.defaultBranch === undefined ? null : { name: snapshot.defaultBranch.name, oid: snapshot.defaultBranch.oid },
    branches: records.length,
    structureBytes,
    blobBytes,
    detailsBytes,
    structureSha256: piecesSha256(out.map((chunk) => chunk.structureSha256)),
  };
  const headerBytes = Buffer.from(JSON.stringify(header));

  // Laid out in file order: every structure piece, every chunk's blobs, every details piece.
  const pieces: SavedPiece[] = [SAVED_INDEX_MAGIC, lengthPrefix(headerBytes.length), headerBytes];
  let position = SAVED_INDEX_MAGIC.length + 4 + headerBytes.length;
  const place = (piece: Uint8Array | FilePart): FilePart => {
    const placed = { position, length: pieceBytes(piece) };
    if (piece instanceof Uint8Array) pieces.push(lengthPrefix(piece.byteLength), piece);
    else pieces.push({ copy: piece });
    position += placed.length;
    return placed;
  };
  const structureAt = out.map((chunk) => place(chunk.structure));
  const blobsAt = out.map((chunk) => {
    const placed = { position, length: chunk.blobBytes };
    if (isFilePart(chunk.blobs)) pieces.push({ copy: chunk.blobs });
    else for (const blob of chunk.blobs) pieces.push(blob instanceof Uint8Array ? blob : { kept: blob });
    position += chunk.blobBytes;
    return placed;
  });
  const detailsAt = out.map((chunk) => place(chunk.details));
  const layout = new Map<string, SavedChunkLayout>();
  out.forEach((chunk, at) => {
    layout.set(chunk.key, { records: chunk.records, answers: chunk.answers, structure: structureAt[at]!, blobs: blobsAt[at]!, details: detailsAt[at]!, structureSha256: chunk.structureSha256, blobBytes: chunk.blobBytes });
  });
  return { header, pieces, bytes: position, layout: { structureSha256: header.structureSha256, chunks: layout }, encodedChunks, copiedChunks: out.length - encodedChunks };
}

/**
 * Per worker of `records`, in order: its served answer when it is saved with
 * it — when this very record is what is served and the answer's files are the
 * record's (always so today); anything else simply gets fresh responses on restart.
 */
function savedAnswers(records: readonly BranchRecord[], served: ReadonlyMap<string, ServedWorker>): Array<ServedWorker | undefined> {
  const answers: Array<ServedWorker | undefined> = [];
  for (const record of records) {
    for (const worker of record.workers) {
      const answer = served.get(worker.id);
      answers.push(answer !== undefined && servesExactly(answer, worker, record) ? answer : undefined);
    }
  }
  return answers;
}

/** Whether every worker of the chunk is served by the answer saved with it then, or still by none that could be saved. */
function servedAsBefore(before: SavedChunkLayout, served: ReadonlyMap<string, ServedWorker>): boolean {
  let at = 0;
  for (const record of before.records) {
    for (const worker of record.workers) {
      const saved = before.answers[at++];
      const answer = served.get(worker.id);
      if (saved !== undefined ? answer !== saved : answer !== undefined && servesExactly(answer, worker, record)) return false;
    }
  }
  return true;
}

function servesExactly(answer: ServedWorker, worker: WorkerRecord, record: BranchRecord): boolean {
  if (answer.record !== worker || answer.rejected !== record.rejected || answer.files.size !== worker.files.size) return false;
  const names = [...worker.files.keys()];
  return [...answer.files.keys()].every((name, at) => name === names[at]);
}

/** The chunk's blob part, in the order saveChunk refers to it: per worker its files, then its saved bodies. */
function blobsOf(records: readonly BranchRecord[], answers: ReadonlyArray<ServedWorker | undefined>): BlobPiece[] {
  const blobs: BlobPiece[] = [];
  let worker = 0;
  for (const record of records) {
    for (const { files } of record.workers) {
      for (const file of files.values()) addBlob(blobs, fileBlob(file));
      const answer = answers[worker++];
      if (answer !== undefined) for (const body of [answer.legacy, answer.v1, answer.cloneUrl]) addBlob(blobs, bodyBlob(body));
    }
  }
  return blobs;
}

/** Appends `blob`, as one range with the last when both are bytes kept one after the other in the same file. */
function addBlob(blobs: BlobPiece[], blob: BlobPiece): void {
  const last = blobs.at(-1);
  if (blob instanceof Uint8Array || last === undefined || last instanceof Uint8Array || last.file !== blob.file || last.position + last.length !== blob.position) {
    blobs.push(blob);
    return;
  }
  blobs[blobs.length - 1] = { file: last.file, position: last.position, length: last.length + blob.length };
}

// Restored bytes are not read into buffers of their own to be listed, measured or hashed (see KeptBytes).
function fileBlob(file: BranchFile): BlobPiece {
  return keptBytes(file) ?? file.bytes;
}

function bodyBlob(body: CachedBody): BlobPiece {
  return keptBytes(body) ?? body.body;
}

function blobLength(blob: BlobPiece): number {
  return blob instanceof Uint8Array ? blob.byteLength : blob.length;
}

/** Kept bytes pass through this on their way into a chunk's digest. */
const hashScratch = Buffer.allocUnsafeSlow(256 * 1024);

/** The sha256 of a chunk's blobs in order, as sha256Hex of their bytes gives it. */
function blobsSha256(blobs: readonly BlobPiece[]): string {
  const hash = createHash('sha256');
  for (const blob of blobs) {
    if (blob instanceof Uint8Array) {
      hash.update(blob);
      continue;
    }
    for (let done = 0; done < blob.length;) {
      const target = hashScratch.subarray(0, Math.min(hashScratch.length, blob.length - done));
      blob.file.readSyncInto(target, blob.position + done, 'blob part', blobPartEnded);
      hash.update(target);
      done += target.byteLength;
    }
  }
  return hash.digest('hex');
}

function isFilePart(blobs: readonly BlobPiece[] | FilePart): blobs is FilePart {
  return !Array.isArray(blobs);
}

function sameObjects<T>(before: readonly T[], now: readonly T[]): boolean {
  return before.length === now.length && before.every((item, at) => item === now[at]);
}

function lengthPrefix(length: number): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(length);
  return prefix;
}

/** Named one by one: a restored record's fields are getters on its prototype, which a spread would miss. */
function workerDetailsOf(worker: WorkerRecord): SavedChunkDetails['workers'][number] {
  const { commit, version, metadata, srcinfo, fields, problems } = worker;
  return { commit, version, metadata, srcinfo, fields, problems };
}

/** The columns and details of one chunk; blob offsets count from the chunk's first blob byte, in blobsOf's order. */
function saveChunk(records: readonly BranchRecord[], answers: ReadonlyArray<ServedWorker | undefined>): { chunk: Omit<SavedChunk, 'blobBytes' | 'blobsSha256' | 'detailsBytes' | 'detailsSha256'>; details: SavedChunkDetails } {
  const types = new Map<string, number>();
  const typeOf = (contentType: string): number => {
    let index = types.get(contentType);
    if (index === undefined) types.set(contentType, (index = types.size));
    return index;
  };
  let blobOffset = 0;
  const blob = (bytes: BlobPiece): [number, number] => {
    const ref: [number, number] = [blobOffset, blobLength(bytes)];
    blobOffset += ref[1];
    return ref;
  };
  const workerCounts: number[] = [];
  const rejected: Array<readonly [number, NonNullable<BranchRecord['rejected']>]> = [];
  const workerIds: string[] = [];
  const workerBranches: string[] = [];
  const fileCounts: number[] = [];
  const fileNames: string[] = [];
  const fileOids: string[] = [];
  const fileBlobs: number[] = [];
  const servedFlags: number[] = [];
  const bodyEtags: string[] = [];
  const bodyTypes: number[] = [];
  const bodyModified: number[] = [];
  const bodyBlobs: number[] = [];
  const branchDetails: Array<SavedChunkDetails['branches'][number]> = [];
  const workerDetails: Array<SavedChunkDetails['workers'][number]> = [];

  let workerAt = 0;
  records.forEach((record, index) => {
    workerCounts.push(record.workers.length);
    if (record.rejected !== undefined) rejected.push([index, record.rejected]);
    // A restored record's parsed fields as saved, read without keeping its chunk decoded (see SavedDetails).
    branchDetails.push(peekSavedBranch(record) ?? { commit: record.commit, problems: record.problems });
    for (const worker of record.workers) {
      const { id, branch, files } = worker;
      workerIds.push(id);
      workerBranches.push(branch);
      workerDetails.push(peekSavedWorker(worker) ?? workerDetailsOf(worker));
      fileCounts.push(files.size);
      for (const [name, file] of files) {
        fileNames.push(name);
        fileOids.push(file.oid);
        fileBlobs.push(...blob(fileBlob(file)));
      }
      const answer = answers[workerAt++];
      servedFlags.push(answer === undefined ? 0 : 1);
      if (answer === undefined) continue;
      for (const body of [answer.legacy, answer.v1, answer.cloneUrl]) {
        bodyBlobs.push(...blob(bodyBlob(body)));
        addBody(body);
      }
      for (const body of answer.files.values()) addBody(body);
    }
  });

  function addBody(body: CachedBody): void {
    bodyEtags.push(body.etag);
    bodyTypes.push(typeOf(body.contentType));
    bodyModified.push(body.lastModified === undefined ? Number.NaN : body.lastModified.getTime());
  }

  return {
    chunk: {
      branchNames: records.map((record) => record.name),
      branchOids: records.map((record) => record.oid),
      workerCounts: Uint32Array.from(workerCounts),
      rejected,
      workerIds,
      workerBranches,
      fileCounts: Uint32Array.from(fileCounts),
      fileNames,
      fileOids,
      fileBlobs: Float64Array.from(fileBlobs),
      served: Uint8Array.from(servedFlags),
      contentTypes: [...types.keys()],
      bodyEtags,
      bodyTypes: Uint16Array.from(bodyTypes),
      bodyModified: Float64Array.from(bodyModified),
      bodyBlobs: Float64Array.from(bodyBlobs),
    },
    details: { branches: branchDetails, workers: workerDetails },
  };
}
