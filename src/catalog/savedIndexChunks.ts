// savedIndexChunks: which branches share a chunk of the saved index. A chunk
// ends after a branch whose name hashes to a multiple of `average` (or once
// it holds MAX_CHUNK_BRANCHES), so where chunks end depends on the names
// around a branch, not on its position: creating or deleting a branch moves
// the boundaries of its own chunk only, and every other chunk is the same
// list of branches as in the previous save, which can then be copied.

import type { BranchRecord } from './branchRecord.js';
import { MAX_CHUNK_BRANCHES } from './savedIndex.js';

/** `records` (in name order) cut into consecutive chunks. */
export function chunkBranches(records: readonly BranchRecord[], average: number): BranchRecord[][] {
  const chunks: BranchRecord[][] = [];
  let current: BranchRecord[] = [];
  for (const record of records) {
    current.push(record);
    if (current.length >= MAX_CHUNK_BRANCHES || nameHash(record.name) % average === 0) {
      chunks.push(current);
      current = [];
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * 32-bit FNV-1a of a string's UTF-16 code units, then murmur3's finaliser
 * (FNV's low bits are poor, and the modulo reads them): fast, and stable
 * across runs and platforms.
 */
function nameHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < text.length; at += 1) {
    hash ^= text.charCodeAt(at);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
