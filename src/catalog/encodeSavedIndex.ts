// encodeSavedIndex: a snapshot as the buffers of a saved index file (see
// savedIndex.ts), in order. Bodies and files are not copied: the blob part is
// the snapshot's own buffers. The work goes in chunks with a turn of the
// event loop between them, so a save of 10,000 branches never holds requests
// up for more than one chunk.

import { createHash } from 'node:crypto';
import { serialize } from 'node:v8';
import type { BranchRecord } from './branchRecord.js';
import { SAVE_CHUNK_BRANCHES, SAVED_INDEX_FORMAT, SAVED_INDEX_MAGIC, type SavedChunk, type SavedChunkDetails, type SavedIndexHeader } from './savedIndex.js';
import type { CachedBody } from './cachedBody.js';
import type { CatalogSnapshot, ServedWorker } from './snapshot.js';

export interface EncodeSavedIndexOptions {
  readonly snapshot: CatalogSnapshot;
  readonly serviceVersion: string;
  readonly repository: string;
  readonly gitUrl: string;
  readonly now?: () => Date;
  /** Branches per chunk (SAVE_CHUNK_BRANCHES); tests use small ones to cross chunk boundaries. */
  readonly chunkBranches?: number;
  /** Called between chunks; a turn of the event loop by default. */
  readonly pause?: () => Promise<void>;
}

export interface EncodedSavedIndex {
  readonly header: SavedIndexHeader;
  /** The whole file, in order; write them as they are. */
  readonly buffers: readonly Uint8Array[];
  readonly bytes: number;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function encodeSavedIndex(options: EncodeSavedIndexOptions): Promise<EncodedSavedIndex> {
  const { snapshot, pause = nextTurn, now = () => new Date(), chunkBranches = SAVE_CHUNK_BRANCHES } = options;
  const structure: Buffer[] = [];
  const structureHash = createHash('sha256');
  const details: Buffer[] = [];
  const detailsHash = createHash('sha256');
  const blobs = new BlobWriter();
  const records = [...snapshot.branches.values()];
  for (let start = 0; start < records.length; start += chunkBranches) {
    if (start > 0) await pause();
    const saved = saveChunk(records.slice(start, start + chunkBranches), snapshot.workers, blobs);
    for (const [bytes, part, hash] of [[serialize(saved.chunk), structure, structureHash], [serialize(saved.details), details, detailsHash]] as const) {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      part.push(length, bytes);
      hash.update(length).update(bytes);
    }
  }
  const structureBytes = structure.reduce((sum, buffer) => sum + buffer.length, 0);
  const detailsBytes = details.reduce((sum, buffer) => sum + buffer.length, 0);
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
    blobBytes: blobs.bytes,
    detailsBytes,
    structureSha256: structureHash.digest('hex'),
    blobsSha256: await blobs.digest(pause),
    detailsSha256: detailsHash.digest('hex'),
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const headerLength = Buffer.alloc(4);
  headerLength.writeUInt32BE(headerBytes.length);
  const buffers = [SAVED_INDEX_MAGIC, headerLength, headerBytes, ...structure, ...blobs.buffers, ...details];
  return { header, buffers, bytes: SAVED_INDEX_MAGIC.length + 4 + headerBytes.length + structureBytes + blobs.bytes + detailsBytes };
}

function saveChunk(records: readonly BranchRecord[], served: ReadonlyMap<string, ServedWorker>, blobs: BlobWriter): { chunk: SavedChunk; details: SavedChunkDetails } {
  const types = new Map<string, number>();
  const typeOf = (contentType: string): number => {
    let index = types.get(contentType);
    if (index === undefined) types.set(contentType, (index = types.size));
    return index;
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

  records.forEach((record, index) => {
    workerCounts.push(record.workers.length);
    if (record.rejected !== undefined) rejected.push([index, record.rejected]);
    branchDetails.push({ commit: record.commit, problems: record.problems });
    for (const worker of record.workers) {
      // Named one by one: a restored record's fields are getters on its prototype, which a spread would miss.
      const { id, branch, files, commit, version, metadata, srcinfo, fields, problems } = worker;
      workerIds.push(id);
      workerBranches.push(branch);
      workerDetails.push({ commit, version, metadata, srcinfo, fields, problems });
      fileCounts.push(files.size);
      for (const [name, file] of files) {
        fileNames.push(name);
        fileOids.push(file.oid);
        fileBlobs.push(...blobs.add(file.bytes));
      }
      const answer = served.get(id);
      // Saved only when this very record is what is served and its files are the record's
      // (always so today); anything else simply gets fresh responses on restart.
      const names = [...files.keys()];
      const saved = answer?.record === worker && answer.rejected === record.rejected
        && answer.files.size === files.size && [...answer.files.keys()].every((name, at) => name === names[at]);
      servedFlags.push(saved ? 1 : 0);
      if (!saved) continue;
      for (const body of [answer.legacy, answer.v1, answer.cloneUrl]) {
        bodyBlobs.push(...blobs.add(body.body));
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

/** Collects the blob part: the buffers themselves, never copies. */
class BlobWriter {
  readonly buffers: Uint8Array[] = [];
  bytes = 0;

  /** Where the bytes will be: [offset, length]. */
  add(bytes: Uint8Array): [number, number] {
    const ref: [number, number] = [this.bytes, bytes.byteLength];
    this.buffers.push(bytes);
    this.bytes += bytes.byteLength;
    return ref;
  }

  async digest(pause: () => Promise<void>): Promise<string> {
    const hash = createHash('sha256');
    // Hashed in slices of about 4 MB, with a pause between them.
    let sliceBytes = 0;
    for (const buffer of this.buffers) {
      hash.update(buffer);
      sliceBytes += buffer.byteLength;
      if (sliceBytes >= 4 * 1024 * 1024) {
        sliceBytes = 0;
        await pause();
      }
    }
    return hash.digest('hex');
  }
}
