// restoreSavedSnapshot: decoded saved chunks back into a CatalogSnapshot —
// records with their file bytes and served workers with their prebuilt
// bodies, every byte a place in the file's blob part, read when asked for
// (see restoredBodies). The result is never
// served as it is: it is the `previous` buildSnapshot reuses records from,
// and only where a branch's tip is still the saved oid.
//
// A record's parsed fields (metadata, .SRCINFO, commit, problems) are most
// of the decoding cost and nothing needs them to serve the prebuilt
// responses, so they are getters that decode their chunk's details on first
// read (SavedDetails reads, verifies and decodes them after start-up).
// Fields are named one by one (SavedWorkerRecord implements WorkerRecord, so
// a new required field fails to compile here until it is restored too).
//
// The checksum already rules out damage; the shape checks here catch a file
// that is intact but not what this code wrote (and keep a bad offset from
// silently serving the wrong bytes).

import { assembleSnapshot } from './assembleSnapshot.js';
import type { BranchFile, BranchRecord, RejectedCommit, WorkerRecord } from './branchRecord.js';
import type { CachedBody } from './cachedBody.js';
import { isSha256 } from './decodeSavedIndex.js';
import { SERVED_FILES } from './indexBranch.js';
import { RestoredBody, RestoredFile, RestoredFileBody, type BlobPlace } from './restoredBodies.js';
import type { SavedBlobPart } from './savedBlobPart.js';
import type { SavedChunk, SavedChunkDetails, SavedIndexHeader } from './savedIndex.js';
import { SavedIndexError } from './savedIndexError.js';
import type { CatalogSnapshot, ServedWorker } from './snapshot.js';

const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Where a chunk's details come from (SavedDetails): decoded on first use. */
export interface DetailsSource {
  chunk(index: number): SavedChunkDetails;
  /** For one pass over the chunk, without keeping it decoded. */
  peek(index: number): SavedChunkDetails;
}

/** One chunk's details, as its records read them. */
interface ChunkDetails {
  read(): SavedChunkDetails;
  peek(): SavedChunkDetails;
}

/**
 * A restored branch record's saved parsed fields, read for one pass over its
 * chunk without keeping it decoded (a save re-encoding it); undefined for any
 * other record.
 */
export function peekSavedBranch(record: BranchRecord): SavedChunkDetails['branches'][number] | undefined {
  return record instanceof SavedBranchRecord ? record.peek() : undefined;
}

/** peekSavedBranch for a worker record. */
export function peekSavedWorker(record: WorkerRecord): SavedChunkDetails['workers'][number] | undefined {
  return record instanceof SavedWorkerRecord ? record.peek() : undefined;
}

/** What one chunk became: its records and each worker's restored answer (if saved), as encodeSavedIndex lists them. */
export interface RestoredChunk {
  readonly records: readonly BranchRecord[];
  readonly answers: ReadonlyArray<ServedWorker | undefined>;
}

export interface RestoredSnapshot {
  readonly snapshot: CatalogSnapshot;
  /** Per chunk, in order: for the saver, whose next save copies the chunks still served as they are. */
  readonly chunks: readonly RestoredChunk[];
}

/**
 * `pause`, when given, runs between chunks: a service restoring a file while
 * it serves (adoptSavedIndex) lets requests in, where a start restores in one go.
 */
export async function restoreSavedSnapshot(header: SavedIndexHeader, chunks: readonly SavedChunk[], blobs: SavedBlobPart, source: DetailsSource, pause?: () => Promise<void>): Promise<RestoredSnapshot> {
  const branches = new Map<string, BranchRecord>();
  const workers = new Map<string, ServedWorker>();
  // Each chunk's blob offsets count from where its blobs start (loadSavedIndex checked the sizes add up).
  let blobStart = 0;
  const restored: RestoredChunk[] = [];
  for (const [index, chunk] of chunks.entries()) {
    const checked = checkChunk(chunk);
    restored.push(restoreChunk({ chunk: checked, details: { read: () => source.chunk(index), peek: () => source.peek(index) }, blobs: blobs.part(blobStart, checked.blobBytes), branches, workers }));
    blobStart += checked.blobBytes;
    if (pause !== undefined) await pause();
  }
  if (branches.size !== header.branches) throw shape(`the header counts ${header.branches} branches; the file holds ${branches.size}`);
  return { snapshot: assembleSnapshot({ builtAt: new Date(header.savedAt), defaultBranch: header.defaultBranch ?? undefined, branches, workers }), chunks: restored };
}

/** A record restored from a saved index, not indexed from git by this process. */
export function isRestoredBranch(record: BranchRecord): boolean {
  return record instanceof SavedBranchRecord;
}

interface ChunkTarget {
  readonly chunk: SavedChunk;
  readonly details: ChunkDetails;
  readonly blobs: SavedBlobPart;
  readonly branches: Map<string, BranchRecord>;
  readonly workers: Map<string, ServedWorker>;
}

function restoreChunk(target: ChunkTarget): RestoredChunk {
  const { chunk, details, blobs, branches, workers } = target;
  const rejected = new Map<number, RejectedCommit>(chunk.rejected);
  const place = (blob: Float64Array, at: number): BlobPlace => {
    const offset = blob[2 * at]!;
    const length = blob[2 * at + 1]!;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > blobs.length) {
      throw shape('a blob reference points outside the blob part');
    }
    return { blobs, offset, length };
  };
  // A worker's bodies all carry its commit time: one Date for them, as serveWorker shares one.
  let lastDate: Date | undefined;
  const dateOf = (milliseconds: number): Date | undefined => {
    if (Number.isNaN(milliseconds)) return undefined;
    if (lastDate?.getTime() !== milliseconds) lastDate = new Date(milliseconds);
    return lastDate;
  };
  let worker = 0;
  let file = 0;
  let served = 0;
  let body = 0;
  const chunkRecords: BranchRecord[] = [];
  const answers: Array<ServedWorker | undefined> = [];
  // The next served body's ETag, type and date, in the order encodeSavedIndex wrote them (defined once: a closure per worker costs).
  const nextServed = (): Pick<CachedBody, 'etag' | 'contentType' | 'lastModified'> => {
    const served = { etag: chunk.bodyEtags[body]!, contentType: chunk.contentTypes[chunk.bodyTypes[body]!]!, lastModified: dateOf(chunk.bodyModified[body]!) };
    body += 1;
    return served;
  };
  for (let branch = 0; branch < chunk.branchNames.length; branch += 1) {
    const name = chunk.branchNames[branch]!;
    const oid = chunk.branchOids[branch]!;
    if (typeof name !== 'string' || typeof oid !== 'string' || !OID.test(oid)) throw shape('a saved branch lacks its name or tip');
    if (branches.has(name)) throw shape(`branch ${name} is saved twice`);
    const records: WorkerRecord[] = [];
    const record = new SavedBranchRecord({ name, oid, workers: records, rejected: rejected.get(branch) }, details, branch);
    branches.set(name, record);
    chunkRecords.push(record);
    for (let end = worker + chunk.workerCounts[branch]!; worker < end; worker += 1) {
      const isServed = chunk.served[worker] === 1;
      // Bodies in the order saved: the three answers, then one per file.
      const legacy = isServed ? new RestoredBody(place(chunk.bodyBlobs, 3 * served), nextServed()) : undefined;
      const v1 = isServed ? new RestoredBody(place(chunk.bodyBlobs, 3 * served + 1), nextServed()) : undefined;
      const cloneUrl = isServed ? new RestoredBody(place(chunk.bodyBlobs, 3 * served + 2), nextServed()) : undefined;
      // A served file is the record's file and its served body at once: one Map holds both.
      const servedFiles = new Map<string, RestoredFileBody>();
      const files: Map<string, RestoredFile> = isServed ? servedFiles : new Map();
      for (let fileEnd = file + chunk.fileCounts[worker]!; file < fileEnd; file += 1) {
        const fileName = sharedFileName(chunk.fileNames[file]!);
        const at = place(chunk.fileBlobs, file);
        const fileOid = chunk.fileOids[file]!;
        if (isServed) servedFiles.set(fileName, new RestoredFileBody(at, fileOid, nextServed()));
        else files.set(fileName, new RestoredFile(at, fileOid));
      }
      // Most branches yield one worker named after them: the branch's string, not two more copies of it.
      const id = sameString(chunk.workerIds[worker]!, name);
      const workerRecord = new SavedWorkerRecord({ id, branch: sameString(chunk.workerBranches[worker]!, name), files }, details, worker);
      records.push(workerRecord);
      if (legacy === undefined || v1 === undefined || cloneUrl === undefined) {
        answers.push(undefined);
        continue;
      }
      served += 1;
      const answer: ServedWorker = { record: workerRecord, rejected: record.rejected, legacy, v1, cloneUrl, files: servedFiles };
      answers.push(answer);
      workers.set(id, answer);
    }
  }
  return { records: chunkRecords, answers };
}

/** Every column present, of its type, and of the lengths the counts add up to. */
function checkChunk(value: unknown): SavedChunk {
  const chunk = value as SavedChunk;
  const fine = typeof chunk === 'object' && chunk !== null
    && [chunk.branchNames, chunk.branchOids, chunk.rejected, chunk.workerIds, chunk.workerBranches, chunk.fileNames, chunk.fileOids, chunk.contentTypes, chunk.bodyEtags].every(Array.isArray)
    && chunk.workerCounts instanceof Uint32Array && chunk.fileCounts instanceof Uint32Array && chunk.served instanceof Uint8Array
    && chunk.fileBlobs instanceof Float64Array && chunk.bodyTypes instanceof Uint16Array && chunk.bodyModified instanceof Float64Array && chunk.bodyBlobs instanceof Float64Array
    && Number.isSafeInteger(chunk.blobBytes) && isSha256(chunk.blobsSha256) && Number.isSafeInteger(chunk.detailsBytes) && isSha256(chunk.detailsSha256);
  if (!fine) throw shape('a saved chunk lacks a column or has one of the wrong type');
  const workers = sum(chunk.workerCounts);
  const files = sum(chunk.fileCounts);
  let servedWorkers = 0;
  let servedFiles = 0;
  for (let worker = 0, file = 0; worker < chunk.served.length; file += chunk.fileCounts[worker]!, worker += 1) {
    if (chunk.served[worker] === 1) {
      servedWorkers += 1;
      servedFiles += chunk.fileCounts[worker]!;
    }
  }
  const bodies = 3 * servedWorkers + servedFiles;
  const consistent = chunk.branchOids.length === chunk.branchNames.length && chunk.workerCounts.length === chunk.branchNames.length
    && chunk.workerIds.length === workers && chunk.workerBranches.length === workers && chunk.fileCounts.length === workers && chunk.served.length === workers
    && chunk.fileNames.length === files && chunk.fileOids.length === files && chunk.fileBlobs.length === 2 * files
    && chunk.bodyBlobs.length === 6 * servedWorkers && chunk.bodyEtags.length === bodies && chunk.bodyTypes.length === bodies && chunk.bodyModified.length === bodies
    && chunk.bodyTypes.every((type) => type < chunk.contentTypes.length)
    && chunk.rejected.every((entry) => Array.isArray(entry) && Number.isInteger(entry[0]) && typeof entry[1]?.oid === 'string');
  if (!consistent) throw shape('the columns of a saved chunk do not add up');
  return chunk;
}

const SERVED_FILE_NAMES = new Map<string, string>(SERVED_FILES.map((name) => [name, name]));

/** One string per served file name, not one per saved file (40,000 at 10,000 workers). */
function sharedFileName(name: string): string {
  return SERVED_FILE_NAMES.get(name) ?? name;
}

/** `shared` when `text` equals it, so the record holds one copy. */
function sameString(text: string, shared: string): string {
  return text === shared ? shared : text;
}

function sum(values: Uint32Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

// Classes, not object literals with getters: the accessors exist once, on the
// prototype, instead of as closures per record (10,000 records × 8 closures
// was a measurable part of the restart). Nothing spreads records; toJSON
// gives the plain record for whoever serialises one.

class SavedBranchRecord implements BranchRecord {
  readonly name: string;
  readonly oid: string;
  readonly workers: readonly WorkerRecord[];
  readonly rejected?: RejectedCommit;
  readonly #details: ChunkDetails;
  readonly #index: number;

  constructor(eager: Pick<BranchRecord, 'name' | 'oid' | 'workers' | 'rejected'>, details: ChunkDetails, index: number) {
    this.name = eager.name;
    this.oid = eager.oid;
    this.workers = eager.workers;
    // Absent, not undefined, when there is none, as on a freshly indexed record.
    if (eager.rejected !== undefined) this.rejected = eager.rejected;
    this.#details = details;
    this.#index = index;
  }

  get commit(): BranchRecord['commit'] {
    return this.#details.read().branches[this.#index]!.commit;
  }

  get problems(): BranchRecord['problems'] {
    return this.#details.read().branches[this.#index]!.problems;
  }

  peek(): SavedChunkDetails['branches'][number] {
    return this.#details.peek().branches[this.#index]!;
  }

  toJSON(): BranchRecord {
    return { name: this.name, oid: this.oid, commit: this.commit, workers: this.workers, problems: this.problems, ...(this.rejected === undefined ? {} : { rejected: this.rejected }) };
  }
}

class SavedWorkerRecord implements WorkerRecord {
  readonly id: string;
  readonly branch: string;
  readonly files: ReadonlyMap<string, BranchFile>;
  readonly #details: ChunkDetails;
  readonly #index: number;

  constructor(eager: Pick<WorkerRecord, 'id' | 'branch' | 'files'>, details: ChunkDetails, index: number) {
    this.id = eager.id;
    this.branch = eager.branch;
    this.files = eager.files;
    this.#details = details;
    this.#index = index;
  }

  get #saved(): SavedChunkDetails['workers'][number] {
    return this.#details.read().workers[this.#index]!;
  }

  peek(): SavedChunkDetails['workers'][number] {
    return this.#details.peek().workers[this.#index]!;
  }

  get commit(): WorkerRecord['commit'] {
    return this.#saved.commit;
  }

  get version(): string {
    return this.#saved.version;
  }

  get metadata(): WorkerRecord['metadata'] {
    return this.#saved.metadata;
  }

  get srcinfo(): WorkerRecord['srcinfo'] {
    return this.#saved.srcinfo;
  }

  get fields(): WorkerRecord['fields'] {
    return this.#saved.fields;
  }

  get problems(): WorkerRecord['problems'] {
    return this.#saved.problems;
  }

  toJSON(): WorkerRecord {
    const { commit, version, metadata, srcinfo, fields, problems } = this;
    return { id: this.id, branch: this.branch, commit, version, metadata, srcinfo, fields, files: this.files, problems };
  }
}

function shape(message: string): SavedIndexError {
  return new SavedIndexError('SAVED_INDEX_SHAPE', message);
}
