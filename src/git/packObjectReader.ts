// packObjectReader: reads objects straight out of a gitdir's packs, for a
// whole-catalog index. Every pack and its index are read once, when the
// reader opens; after that an object costs a binary search in the index, one
// native inflate (node:zlib) and, for a delta, the delta applied to a base kept
// from earlier reads. isomorphic-git instead probes for a loose file, lists
// the pack folder and inflates with pako on every read, which is where a cold
// index of thousands of branches spent its time (DESIGN.md).
//
// For a whole-catalog index the packs are held in memory while the reader
// lives (isomorphic-git's cache holds them for ever); such a reader is meant
// to live for one index and go. Several readers, one per indexer thread, can
// share one reading of the packs (readPackFiles with `shared`, then
// packObjectReaderFrom). A pack's bytes can also be read where they are, an
// entry at a time (PackBytes; packFileObjects does, for refreshes).
// `read` answers undefined for anything it cannot vouch for — an object that
// is loose or in a pack written after it opened, a pack it could not read,
// an entry that is malformed, too deep a delta chain, or bytes whose SHA-1 is
// not the oid asked for — and the caller falls back to isomorphic-git, so
// what is served never depends on which path read it.

import { createHash } from 'node:crypto';
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { FANOUT_BYTES, findObject, IDX_MAGIC, objectCount, PACK_HEADER_BYTES, packOffset, TRAILER_BYTES } from './packIndex.js';
import { readPackFiles, type PackFiles, type ReadPackFilesOptions } from './readPackFiles.js';

export type GitObjectType = 'commit' | 'tree' | 'blob' | 'tag';

export interface GitObject {
  readonly type: GitObjectType;
  readonly bytes: Buffer;
}

export interface ObjectReader {
  /** The object's type and content, checked against its oid; undefined when this reader cannot serve it. */
  read(oid: string): GitObject | undefined;
}

export type OpenPackObjectReaderOptions = Omit<ReadPackFilesOptions, 'shared'>;

const TYPES: ReadonlyArray<GitObjectType | undefined> = [undefined, 'commit', 'tree', 'blob', 'tag'];
const OFS_DELTA = 6;
const REF_DELTA = 7;
/** git's own default depth is 50 and its hard limit 4095; deeper than this is not a pack git wrote. */
const MAX_DELTA_DEPTH = 4096;
/** Inflated delta bases a reader keeps for later deltas, unless told otherwise. */
export const DEFAULT_BASE_CACHE_BYTES = 32 * 1024 * 1024;
const OID = /^[0-9a-f]{40}$/;

export async function openPackObjectReader(options: OpenPackObjectReaderOptions): Promise<ObjectReader> {
  return packObjectReaderFrom(await readPackFiles(options));
}

export interface PackObjectReaderOptions {
  /** Inflated delta bases kept for later deltas; past this many bytes the cache starts over. */
  readonly baseCacheBytes?: number;
}

/** A pack's bytes, in memory or read from its file when asked. */
export interface PackBytes {
  readonly length: number;
  /** Bytes `start` to `end` (0 <= start <= end <= length); undefined when they cannot be read. */
  read(start: number, end: number): Buffer | undefined;
}

/** A pack checked against its index, with what reading it needs: build once, read by many readers. */
export interface CheckedPack {
  readonly idx: Buffer;
  readonly data: PackBytes;
  readonly count: number;
  /** Entry offsets in ascending order: an entry ends where the next one starts. */
  readonly sortedOffsets: Float64Array;
}

/**
 * A reader over packs already read (readPackFiles), shared memory or not: an
 * indexer thread builds its own over the packs the main thread read. Every
 * reader checks the packs the same way, so all of them serve the same objects.
 */
export function packObjectReaderFrom(files: readonly PackFiles[], options: PackObjectReaderOptions = {}): ObjectReader {
  const packs: CheckedPack[] = [];
  for (const each of files) {
    const pack = checkPack(asBuffer(each.idx), bytesInMemory(asBuffer(each.data)));
    if (pack !== undefined) packs.push(pack);
  }
  return packObjectReaderOver(packs, options);
}

/** A reader over packs checked before (checkPack); its delta bases are its own. */
export function packObjectReaderOver(packs: readonly CheckedPack[], options: PackObjectReaderOptions = {}): ObjectReader {
  return new PackObjectReader(packs, options.baseCacheBytes ?? DEFAULT_BASE_CACHE_BYTES);
}

function bytesInMemory(data: Buffer): PackBytes {
  return { length: data.length, read: (start, end) => data.subarray(start, end) };
}

/** A pack and its index, or undefined when they are not a version 2 pair that belongs together. */
export function checkPack(idx: Buffer, data: PackBytes): CheckedPack | undefined {
  if (idx.length < 8 + FANOUT_BYTES + 2 * TRAILER_BYTES || idx.readUInt32BE(0) !== IDX_MAGIC || idx.readUInt32BE(4) !== 2) return undefined;
  if (data.length < PACK_HEADER_BYTES + TRAILER_BYTES) return undefined;
  const header = data.read(0, PACK_HEADER_BYTES);
  const trailer = data.read(data.length - TRAILER_BYTES, data.length);
  if (header === undefined || trailer === undefined || header.toString('latin1', 0, 4) !== 'PACK') return undefined;
  const count = objectCount(idx);
  const tableEnd = 8 + FANOUT_BYTES + count * 28;
  if (idx.length < tableEnd + 2 * TRAILER_BYTES || header.readUInt32BE(8) !== count) return undefined;
  if (!trailer.equals(idx.subarray(idx.length - 2 * TRAILER_BYTES, idx.length - TRAILER_BYTES))) return undefined;
  const pack: CheckedPack = { idx, data, count, sortedOffsets: new Float64Array(count) };
  for (let index = 0; index < count; index += 1) {
    const offset = offsetAt(pack, index);
    if (offset === undefined) return undefined;
    pack.sortedOffsets[index] = offset;
  }
  pack.sortedOffsets.sort();
  return pack;
}

class PackObjectReader implements ObjectReader {
  private baseBytes = 0;
  /** Inflated delta bases by pack and entry offset. */
  private readonly bases = new Map<CheckedPack, Map<number, GitObject>>();
  /** The oid being read, as bytes: one buffer for every read instead of one allocated per read. */
  private readonly key = Buffer.alloc(20);

  constructor(
    private readonly packs: readonly CheckedPack[],
    private readonly baseCacheBytes: number,
  ) {
    for (const pack of packs) this.bases.set(pack, new Map());
  }

  read(oid: string): GitObject | undefined {
    if (!OID.test(oid)) return undefined;
    const key = this.key;
    key.write(oid, 'hex');
    for (const pack of this.packs) {
      const index = findObject(pack.idx, key);
      if (index === undefined) continue;
      const offset = offsetAt(pack, index);
      const object = offset === undefined ? undefined : this.readAt(pack, offset);
      // A corrupt entry in one pack says nothing of the copies elsewhere; isomorphic-git settles it.
      if (object === undefined || !hashes(object, oid)) return undefined;
      return object;
    }
    return undefined;
  }

  /** The object whose entry starts at `offset`, delta chain resolved. */
  private readAt(pack: CheckedPack, start: number): GitObject | undefined {
    const bases = this.bases.get(pack)!;
    const deltas: Array<{ offset: number; delta: Buffer }> = [];
    let offset = start;
    let base: GitObject | undefined;
    while (base === undefined) {
      if (deltas.length > MAX_DELTA_DEPTH) return undefined;
      base = bases.get(offset);
      if (base !== undefined) break;
      const entry = readEntry(pack, offset);
      if (entry === undefined) return undefined;
      if (entry.kind === 'object') {
        base = entry.object;
        if (deltas.length > 0) this.remember(pack, offset, base);
        break;
      }
      deltas.push({ offset, delta: entry.delta });
      if (entry.kind === 'ofs') {
        offset = entry.baseOffset;
        continue;
      }
      // A ref delta names its base by oid, in this pack (a thin pack is completed when it is indexed).
      const baseIndex = findObject(pack.idx, entry.baseOid);
      const baseOffset = baseIndex === undefined ? undefined : offsetAt(pack, baseIndex);
      if (baseOffset === undefined) return undefined;
      offset = baseOffset;
    }
    let object = base;
    for (let depth = deltas.length - 1; depth >= 0; depth -= 1) {
      const step = deltas[depth]!;
      const bytes = applyDelta(object.bytes, step.delta);
      if (bytes === undefined) return undefined;
      object = { type: object.type, bytes };
      // Packs put similar objects on one chain: what was just built is likely the next one's base.
      this.remember(pack, step.offset, object);
    }
    return object;
  }

  private remember(pack: CheckedPack, offset: number, object: GitObject): void {
    if (this.baseBytes + object.bytes.length > this.baseCacheBytes) {
      for (const each of this.bases.values()) each.clear();
      this.baseBytes = 0;
    }
    this.bases.get(pack)!.set(offset, object);
    this.baseBytes += object.bytes.length;
  }
}

type Entry =
  | { readonly kind: 'object'; readonly object: GitObject }
  | { readonly kind: 'ofs'; readonly baseOffset: number; readonly delta: Buffer }
  | { readonly kind: 'ref'; readonly baseOid: Buffer; readonly delta: Buffer };

/** One pack entry: its header, then its zlib stream inflated to exactly the size the header declares. */
function readEntry(pack: CheckedPack, offset: number): Entry | undefined {
  const entryEnds = entryEnd(pack, offset);
  const data = entryEnds === undefined ? undefined : pack.data.read(offset, entryEnds);
  if (data === undefined) return undefined;
  // From here on, positions are within the entry.
  const end = data.length;
  let at = 0;
  let byte = data[at++]!;
  const typeCode = (byte >> 4) & 7;
  let size = byte & 0x0f;
  let scale = 16;
  while (byte & 0x80) {
    if (at >= end || scale > 2 ** 49) return undefined;
    byte = data[at++]!;
    size += (byte & 0x7f) * scale;
    scale *= 128;
  }
  if (typeCode === OFS_DELTA) {
    byte = data[at++]!;
    let distance = byte & 0x7f;
    while (byte & 0x80) {
      if (at >= end || distance > 2 ** 45) return undefined;
      byte = data[at++]!;
      distance = (distance + 1) * 128 + (byte & 0x7f);
    }
    const baseOffset = offset - distance;
    if (distance === 0 || baseOffset < PACK_HEADER_BYTES) return undefined;
    const delta = inflateExactly(data.subarray(at, end), size);
    return delta === undefined ? undefined : { kind: 'ofs', baseOffset, delta };
  }
  if (typeCode === REF_DELTA) {
    if (at + 20 > end) return undefined;
    const baseOid = data.subarray(at, at + 20);
    const delta = inflateExactly(data.subarray(at + 20, end), size);
    return delta === undefined ? undefined : { kind: 'ref', baseOid, delta };
  }
  const type = TYPES[typeCode];
  if (type === undefined) return undefined;
  const bytes = inflateExactly(data.subarray(at, end), size);
  return bytes === undefined ? undefined : { kind: 'object', object: { type, bytes } };
}

/**
 * Room for the declared size and one byte more, so an honest stream inflates in one step into
 * one buffer (zlib's default is a fresh 16 kB buffer per call, which the result then pins), and
 * a stream longer than declared still shows itself; capped, so a hostile size allocates little.
 */
const MAX_CHUNK_BYTES = 1024 * 1024;

function inflateExactly(compressed: Buffer, size: number): Buffer | undefined {
  try {
    // The declared size bounds the output: a hostile stream cannot inflate past it.
    const chunkSize = Math.max(zlibConstants.Z_MIN_CHUNK, Math.min(size + 1, MAX_CHUNK_BYTES));
    const bytes = inflateSync(compressed, { maxOutputLength: Math.max(size, 1), chunkSize });
    return bytes.length === size ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** git's delta format: source and target sizes, then copy-from-source and insert instructions. */
function applyDelta(source: Buffer, delta: Buffer): Buffer | undefined {
  const header = deltaHeader(delta);
  if (header === undefined || header.sourceSize !== source.length) return undefined;
  const { targetSize } = header;
  let at = header.at;
  const target = Buffer.allocUnsafe(targetSize);
  let written = 0;
  while (at < delta.length) {
    const op = delta[at++]!;
    if (op & 0x80) {
      let copyOffset = 0;
      let copySize = 0;
      for (let bit = 0; bit < 4; bit += 1) if (op & (1 << bit)) copyOffset += delta[at++]! * 2 ** (8 * bit);
      for (let bit = 0; bit < 3; bit += 1) if (op & (16 << bit)) copySize += delta[at++]! * 2 ** (8 * bit);
      if (copySize === 0) copySize = 0x10000;
      if (at > delta.length || copyOffset + copySize > source.length || written + copySize > targetSize) return undefined;
      copyBytes(source, copyOffset, copySize, target, written);
      written += copySize;
    } else if (op !== 0) {
      if (at + op > delta.length || written + op > targetSize) return undefined;
      copyBytes(delta, at, op, target, written);
      at += op;
      written += op;
    } else {
      return undefined;
    }
  }
  return written === targetSize ? target : undefined;
}

/** A delta's two leading varints, the source and target sizes, and where its instructions start. */
function deltaHeader(delta: Buffer): { sourceSize: number; targetSize: number; at: number } | undefined {
  let at = 0;
  const sizes = [0, 0];
  for (let which = 0; which < 2; which += 1) {
    let value = 0;
    let scale = 1;
    let byte: number;
    do {
      if (at >= delta.length || scale > 2 ** 49) return undefined;
      byte = delta[at++]!;
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    sizes[which] = value;
  }
  return { sourceSize: sizes[0]!, targetSize: sizes[1]!, at };
}

/** Bounds already checked. Most delta instructions copy a few bytes, where Buffer#copy's own checks cost more than the copy. */
function copyBytes(from: Buffer, start: number, length: number, to: Buffer, at: number): void {
  if (length > 64) {
    to.set(from.subarray(start, start + length), at);
    return;
  }
  for (let index = 0; index < length; index += 1) to[at + index] = from[start + index]!;
}

/** The pack offset of the object at index `position`, when it points at an entry inside the pack. */
function offsetAt(pack: CheckedPack, position: number): number | undefined {
  const offset = packOffset(pack.idx, position);
  return offset !== undefined && offset >= PACK_HEADER_BYTES && offset < pack.data.length - TRAILER_BYTES ? offset : undefined;
}

/** Where the entry at `offset` ends: the next entry's start, or the pack's trailer. */
function entryEnd(pack: CheckedPack, offset: number): number | undefined {
  const offsets = pack.sortedOffsets;
  let low = 0;
  let high = offsets.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = offsets[middle]!;
    if (value === offset) return middle + 1 < offsets.length ? offsets[middle + 1]! : pack.data.length - TRAILER_BYTES;
    if (value < offset) low = middle + 1;
    else high = middle - 1;
  }
  // Not the start of any entry (an ofs delta pointing into the middle of one).
  return undefined;
}

function hashes(object: GitObject, oid: string): boolean {
  return createHash('sha1').update(`${object.type} ${object.bytes.length}\0`).update(object.bytes).digest('hex') === oid;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
