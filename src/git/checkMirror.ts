// checkMirror: whether a mirror on disk can be served from, checked before a
// restarted service uses it (a SIGKILL can land in the middle of a fetch).
// Every index in objects/pack must parse, carry its own valid checksum and
// name a pack that exists, agrees with it and whose 20-byte trailer is the
// SHA-1 of the rest; every ref under refs/remotes/origin/ must hold an oid
// (or name a branch, for HEAD) and every tip must read back as a commit.
// Resolves with the first damage found, or undefined for a usable mirror.
//
// Hashing every pack is the expensive part, and it is cheap enough: SHA-1
// runs at several hundred MB/s, and a mirror of 10,000 worker branches is a
// few tens of MB (measured in the report of issue 7: see test/git/checkMirror).

import { createHash } from 'node:crypto';
import path from 'node:path';
import { readCommit } from 'isomorphic-git';
import { isNotFound, typedFs, type TypedFs } from './gitFs.js';
import type { GitFs } from './gitFs.js';
import { FANOUT_BYTES, findObject, IDX_MAGIC, LARGE_OFFSET, objectCount, PACK_HEADER_BYTES, packOffset, TRAILER_BYTES } from './packIndex.js';
import { packIndexNames } from './packIndexNames.js';
import { openPackObjectReader, type ObjectReader } from './packObjectReader.js';
import { readRawRefs } from './readRawRefs.js';

export type MirrorDamageCode = 'PACK_INDEX_INVALID' | 'PACK_MISSING' | 'PACK_INVALID' | 'REF_INVALID' | 'TIP_UNREADABLE';

export interface MirrorDamage {
  readonly code: MirrorDamageCode;
  /** The file or ref concerned, relative to the gitdir. */
  readonly where: string;
  readonly detail: string;
}

export interface CheckMirrorOptions {
  readonly fs: GitFs;
  readonly gitdir: string;
  /** The isomorphic-git cache later reads will use (tips outside any pack are read through it). */
  readonly cache: object;
}

const ORIGIN = 'refs/remotes/origin/';

export async function checkMirror(options: CheckMirrorOptions): Promise<MirrorDamage | undefined> {
  const packs = await checkPacks(typedFs(options.fs), options.gitdir);
  if (!(packs instanceof PackObjects)) return packs;
  return checkTips(options, packs);
}

const ENTRY_TYPES = [undefined, 'commit', 'tree', 'blob', 'tag', undefined, 'delta', 'delta'] as const;
type EntryType = NonNullable<(typeof ENTRY_TYPES)[number]>;

/** The verified packs of a mirror, asked what kind of entry an object is. */
class PackObjects {
  constructor(private readonly packs: ReadonlyArray<{ readonly idx: Buffer; readonly pack: Buffer }>) {}

  /** `delta` for a deltified entry; undefined when no pack holds the object. */
  typeOf(oid: string): EntryType | undefined {
    const key = Buffer.from(oid, 'hex');
    for (const { idx, pack } of this.packs) {
      const offset = findOffset(idx, key);
      if (offset !== undefined && offset < pack.length - TRAILER_BYTES) return ENTRY_TYPES[(pack[offset]! >> 4) & 7];
    }
    return undefined;
  }
}

/** The entry's offset in its pack, by a (verified) version 2 index. */
function findOffset(idx: Buffer, key: Buffer): number | undefined {
  const position = findObject(idx, key);
  return position === undefined ? undefined : packOffset(idx, position);
}

async function checkPacks(fs: TypedFs, gitdir: string): Promise<PackObjects | MirrorDamage> {
  const folder = path.join(gitdir, 'objects', 'pack');
  const verified: Array<{ idx: Buffer; pack: Buffer }> = [];
  for (const name of await packIndexNames(fs, gitdir)) {
    const where = path.posix.join('objects', 'pack', name);
    const idx = asBuffer(await fs.readFile(path.join(folder, name)));
    const idxProblem = indexProblem(idx);
    if (idxProblem !== undefined) return { code: 'PACK_INDEX_INVALID', where, detail: idxProblem };
    const packName = `${name.slice(0, -'.idx'.length)}.pack`;
    let pack: Buffer;
    try {
      pack = asBuffer(await fs.readFile(path.join(folder, packName)));
    } catch (error) {
      if (isNotFound(error)) return { code: 'PACK_MISSING', where, detail: `its pack ${packName} does not exist` };
      throw error;
    }
    const packProblem = packProblemFor(pack, idx);
    if (packProblem !== undefined) return { code: 'PACK_INVALID', where: path.posix.join('objects', 'pack', packName), detail: packProblem };
    verified.push({ idx, pack });
  }
  return new PackObjects(verified);
}

/** What is wrong with a version 2 pack index, judged by its layout and its own trailing SHA-1. */
function indexProblem(idx: Buffer): string | undefined {
  if (idx.length < 8 + FANOUT_BYTES + 2 * TRAILER_BYTES) return `only ${idx.length} bytes`;
  if (idx.readUInt32BE(0) !== IDX_MAGIC || idx.readUInt32BE(4) !== 2) return 'not a version 2 pack index';
  const count = objectCount(idx);
  const offsets = 8 + FANOUT_BYTES + count * 24;
  const tables = offsets + count * 4;
  if (idx.length < tables + 2 * TRAILER_BYTES) return `truncated: ${idx.length} bytes for ${count} objects`;
  let large = 0;
  for (let index = 0; index < count; index += 1) if (idx.readUInt32BE(offsets + index * 4) >= LARGE_OFFSET) large += 1;
  if (idx.length !== tables + large * 8 + 2 * TRAILER_BYTES) return `${idx.length} bytes where ${count} objects take ${tables + large * 8 + 2 * TRAILER_BYTES}`;
  const body = idx.subarray(0, idx.length - TRAILER_BYTES);
  if (!createHash('sha1').update(body).digest().equals(idx.subarray(idx.length - TRAILER_BYTES))) return 'its checksum does not match its content';
  return undefined;
}

function packProblemFor(pack: Buffer, idx: Buffer): string | undefined {
  if (pack.length < PACK_HEADER_BYTES + TRAILER_BYTES || pack.toString('latin1', 0, 4) !== 'PACK') return 'no PACK header';
  const trailer = pack.subarray(pack.length - TRAILER_BYTES);
  if (!trailer.equals(idx.subarray(idx.length - 2 * TRAILER_BYTES, idx.length - TRAILER_BYTES))) return 'its trailer is not the checksum its index names';
  if (pack.readUInt32BE(8) !== objectCount(idx)) return 'its object count differs from its index';
  if (!createHash('sha1').update(pack.subarray(0, pack.length - TRAILER_BYTES)).digest().equals(trailer)) return 'its checksum does not match its content';
  return undefined;
}

/**
 * The refs under `prefix`, read as every other reader reads them
 * (readRawRefs), except that an entry it skips — a ref caught half-written —
 * is damage here: skipped, it would make a branch silently vanish from the catalog.
 */
async function readRefsStrictly(fs: GitFs, gitdir: string, prefix: string): Promise<Map<string, string> | MirrorDamage> {
  let damage: MirrorDamage | undefined;
  const refs = await readRawRefs({
    fs,
    gitdir,
    prefix,
    onUnreadable: (where, content) => {
      damage ??= where === 'packed-refs'
        ? { code: 'REF_INVALID', where, detail: `unreadable line ${JSON.stringify(content.slice(0, 60))}` }
        : { code: 'REF_INVALID', where, detail: `holds ${JSON.stringify(content.slice(0, 60))}, not an object id` };
    },
  });
  return damage ?? refs;
}

async function checkTips(options: CheckMirrorOptions, packs: PackObjects): Promise<MirrorDamage | undefined> {
  const { gitdir, cache } = options;
  const refs = await readRefsStrictly(options.fs, gitdir, ORIGIN);
  if (!(refs instanceof Map)) return refs;
  let reader: ObjectReader | undefined;
  for (const [ref, value] of refs) {
    if (value.startsWith('ref: ')) {
      const target = value.slice('ref: '.length);
      if (!refs.has(target)) return { code: 'REF_INVALID', where: ref, detail: `names ${target}, which does not exist` };
      continue;
    }
    // In a pack whose every byte was just hashed: its entry header says its type.
    const type = packs.typeOf(value);
    if (type === 'commit') continue;
    if (type !== undefined && type !== 'delta') return { code: 'TIP_UNREADABLE', where: ref, detail: `${value} is a ${type}, not a commit` };
    // A deltified commit is read whole; loose ones through isomorphic-git.
    reader ??= await openPackObjectReader({ fs: options.fs, gitdir });
    const object = type === 'delta' ? reader.read(value) : undefined;
    if (object !== undefined) {
      if (object.type !== 'commit') return { code: 'TIP_UNREADABLE', where: ref, detail: `${value} is a ${object.type}, not a commit` };
      continue;
    }
    try {
      await readCommit({ fs: options.fs, gitdir, oid: value, cache });
    } catch (error) {
      return { code: 'TIP_UNREADABLE', where: ref, detail: `${value}: ${(error as { code?: string }).code ?? (error as Error).message}` };
    }
  }
  return undefined;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
