// packIndex: reading a version 2 pack index (objects/pack/*.idx) — its
// layout, where an object sits in it and at which offset of its pack. Shared
// by the pack object reader and the mirror check, which must agree byte for
// byte on what an index says.

export const IDX_MAGIC = 0xff744f63;
export const FANOUT_BYTES = 256 * 4;
export const TRAILER_BYTES = 20;
export const PACK_HEADER_BYTES = 12;
/** An offset with this bit set is an index into the table of 64-bit offsets. */
export const LARGE_OFFSET = 0x80000000;

/** How many objects the index lists (the last fanout entry). */
export function objectCount(idx: Buffer): number {
  return idx.readUInt32BE(8 + 255 * 4);
}

/** The position of `oid` (20 bytes) in the index, by its fanout and a binary search; undefined when absent. */
export function findObject(idx: Buffer, oid: Uint8Array): number | undefined {
  const first = oid[0]!;
  let low = first === 0 ? 0 : idx.readUInt32BE(8 + (first - 1) * 4);
  let high = idx.readUInt32BE(8 + first * 4) - 1;
  const table = 8 + FANOUT_BYTES;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = table + middle * 20;
    // Compared here rather than with idx.compare: a native call per step cost more than the
    // comparison, which almost always ends at the first byte. An entry past the end of a damaged
    // index still goes to idx.compare, which throws as it always has.
    const order = at + 20 <= idx.length ? compareOid(idx, at, oid) : idx.compare(oid, 0, 20, at, at + 20);
    if (order === 0) return middle;
    if (order > 0) high = middle - 1;
    else low = middle + 1;
  }
  return undefined;
}

/** The sign of idx[at, at + 20) against `oid`, as Buffer.compare orders them (bytes, unsigned). */
function compareOid(idx: Buffer, at: number, oid: Uint8Array): number {
  for (let index = 0; index < 20; index += 1) {
    const difference = idx[at + index]! - oid[index]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The pack offset of the object at `position`; undefined when a 64-bit offset lies outside the index. */
export function packOffset(idx: Buffer, position: number): number | undefined {
  const count = objectCount(idx);
  const offsets = 8 + FANOUT_BYTES + count * 24;
  const offset = idx.readUInt32BE(offsets + position * 4);
  if (offset < LARGE_OFFSET) return offset;
  const at = offsets + count * 4 + (offset - LARGE_OFFSET) * 8;
  if (at + 8 > idx.length - 2 * TRAILER_BYTES) return undefined;
  return Number(idx.readBigUInt64BE(at));
}
