// decodeSavedIndex: the reading side of savedIndex.ts — the header from the
// first bytes of a file, checked against what this service expects, and the
// structure part, once its checksum holds, back into SavedChunk values.
// Anything that does not parse is a SavedIndexError, never a half-read index.

import { deserialize } from 'node:v8';
import { MAX_HEADER_BYTES, piecesSha256, SAVED_INDEX_FORMAT, SAVED_INDEX_MAGIC, sha256Hex, type SavedChunk, type SavedIndexHeader } from './savedIndex.js';
import { SavedIndexError } from './savedIndexError.js';

export interface ExpectedSavedIndex {
  readonly serviceVersion: string;
  readonly repository: string;
  readonly gitUrl: string;
}

export interface ParsedHeader {
  readonly header: SavedIndexHeader;
  /** Where the structure part starts in the file. */
  readonly structureOffset: number;
}

/** The number of leading bytes that hold the magic and the header's length. */
export const HEADER_PREFIX_BYTES = SAVED_INDEX_MAGIC.length + 4;

/** The header's byte length, from the file's first HEADER_PREFIX_BYTES bytes. */
export function headerLength(prefix: Uint8Array): number {
  if (prefix.byteLength < HEADER_PREFIX_BYTES || !Buffer.from(prefix.buffer, prefix.byteOffset, SAVED_INDEX_MAGIC.length).equals(SAVED_INDEX_MAGIC)) {
    throw new SavedIndexError('SAVED_INDEX_MALFORMED', 'the file does not start with the saved-index magic');
  }
  const length = Buffer.from(prefix.buffer, prefix.byteOffset, prefix.byteLength).readUInt32BE(SAVED_INDEX_MAGIC.length);
  if (length === 0 || length > MAX_HEADER_BYTES) throw new SavedIndexError('SAVED_INDEX_MALFORMED', `a header of ${length} bytes is not one`);
  return length;
}

/** Parses and checks the header; `fileBytes` is the file's size, which must be exactly what the header adds up to. */
export function parseHeader(headerBytes: Uint8Array, fileBytes: number, expected: ExpectedSavedIndex): ParsedHeader {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(headerBytes.buffer, headerBytes.byteOffset, headerBytes.byteLength).toString('utf8'));
  } catch {
    throw new SavedIndexError('SAVED_INDEX_MALFORMED', 'the header is not JSON');
  }
  const header = checkHeaderShape(value);
  // Versions first: another format may well lay out the rest differently.
  if (header.format !== SAVED_INDEX_FORMAT) {
    throw new SavedIndexError('SAVED_INDEX_VERSION', `saved in format ${header.format}; this service reads format ${SAVED_INDEX_FORMAT}`);
  }
  if (header.serviceVersion !== expected.serviceVersion) {
    throw new SavedIndexError('SAVED_INDEX_VERSION', `saved by service version ${header.serviceVersion}; this is ${expected.serviceVersion}`);
  }
  if (header.repository !== expected.repository || header.gitUrl !== expected.gitUrl) {
    throw new SavedIndexError('SAVED_INDEX_OTHER_REPOSITORY', `saved for ${header.repository} (clone URL ${header.gitUrl}), not ${expected.repository} (${expected.gitUrl})`);
  }
  const structureOffset = HEADER_PREFIX_BYTES + headerBytes.byteLength;
  const expectedBytes = structureOffset + header.structureBytes + header.blobBytes + header.detailsBytes;
  if (fileBytes !== expectedBytes) {
    throw new SavedIndexError('SAVED_INDEX_MALFORMED', `the file holds ${fileBytes} bytes; its header says ${expectedBytes} (truncated or appended to)`);
  }
  return { header, structureOffset };
}

/** The length-prefixed pieces of a part, in order (the structure's chunks, or the details of each chunk). */
export function splitPart(part: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  let offset = 0;
  while (offset < part.length) {
    if (offset + 4 > part.length) throw new SavedIndexError('SAVED_INDEX_MALFORMED', 'a part ends inside a chunk length');
    const length = part.readUInt32BE(offset);
    offset += 4;
    if (length > part.length - offset) throw new SavedIndexError('SAVED_INDEX_MALFORMED', 'a chunk runs past the end of its part');
    pieces.push(part.subarray(offset, offset + length));
    offset += length;
  }
  return pieces;
}

export interface DecodedStructure {
  readonly chunks: SavedChunk[];
  /** Each chunk's bytes (views of the part, without their length prefixes) and their hex sha256. */
  readonly pieces: Buffer[];
  readonly digests: string[];
}

/** The structure part's chunks, decoded, in order, once the digest of their digests is the header's. */
export function decodeStructure(structure: Buffer, header: SavedIndexHeader): DecodedStructure {
  const pieces = splitPart(structure);
  const digests = pieces.map((piece) => sha256Hex(piece));
  if (piecesSha256(digests) !== header.structureSha256) {
    throw new SavedIndexError('SAVED_INDEX_CHECKSUM', 'the structure part does not match its sha256');
  }
  return { chunks: pieces.map((bytes) => deserializeSaved(bytes) as SavedChunk), pieces, digests };
}

/** v8.deserialize, with garbage reported as a SavedIndexError. */
export function deserializeSaved(bytes: Buffer): unknown {
  try {
    return deserialize(bytes);
  } catch (error) {
    throw new SavedIndexError('SAVED_INDEX_MALFORMED', `a structure chunk does not deserialise: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function isSha256(value: unknown): value is string {
  return typeof value === 'string' && HEX_SHA256.test(value);
}

function checkHeaderShape(value: unknown): SavedIndexHeader {
  const header = value as Partial<Record<keyof SavedIndexHeader, unknown>> | null;
  const fine = typeof header === 'object' && header !== null
    && Number.isSafeInteger(header.format)
    && typeof header.serviceVersion === 'string'
    && typeof header.repository === 'string'
    && typeof header.gitUrl === 'string'
    && typeof header.savedAt === 'string'
    && typeof header.snapshotId === 'string'
    && (header.defaultBranch === null || isBranchRef(header.defaultBranch))
    && isCount(header.branches)
    && isCount(header.structureBytes)
    && isCount(header.blobBytes)
    && isCount(header.detailsBytes)
    && isSha256(header.structureSha256);
  if (!fine) throw new SavedIndexError('SAVED_INDEX_MALFORMED', 'the header lacks a field or has one of the wrong type');
  return header as SavedIndexHeader;
}

function isCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isBranchRef(value: unknown): boolean {
  const ref = value as { name?: unknown; oid?: unknown } | null;
  return typeof ref === 'object' && ref !== null && typeof ref.name === 'string' && typeof ref.oid === 'string';
}
