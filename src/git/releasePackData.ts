// releasePackData: lets go of the pack bytes isomorphic-git's cache holds.
// Its cache keeps, per pack, the parsed index (small, and what makes a read
// fast) and — from the first object read out of the pack — the whole pack
// file and every deep delta base it inflated, for as long as the cache lives,
// which for a mirror is the process. At 10,000 branches that is the clone's
// 23 MB pack, loaded again by the first refresh that reads an unchanged blob.
//
// Each released pack is read again, once, by the next read that needs it
// (page-cached: a few ms), so a refresh or a history request pays a file
// read, not the memory for ever. The pack is put back as a thenable that
// reads the file on first use rather than as `null` (isomorphic-git's own
// `unload`): a read already under way awaits the pack a second time, and
// must find bytes there, not a hole. The pack's checksum was verified when
// it was first loaded, and pack files are never rewritten under their name.
//
// This relies on isomorphic-git internals (its pack cache, see
// packfileCache, and GitPackIndex's `pack` and `offsetCache`), as
// consolidatePacks does; should they change, nothing is released.

import { typedFs } from './gitFs.js';
import { packfileCache } from './packfileCache.js';
import type { CatalogRepository } from './types.js';

interface PackIndexInternals {
  pack?: unknown;
  offsetCache?: unknown;
}

/** Resolves with how many packs were released. */
export async function releasePackData(repo: Pick<CatalogRepository, 'fs' | 'cache'>): Promise<number> {
  const files = typedFs(repo.fs);
  let released = 0;
  for (const [indexPath, index] of await packIndexes(repo.cache)) {
    if (index.pack === null || index.pack === undefined) continue;
    const packPath = indexPath.replace(/idx$/, 'pack');
    index.pack = new PackOnFirstUse(async () => {
      const bytes = await files.readFile(packPath);
      return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    });
    if ('offsetCache' in index) index.offsetCache = {};
    released += 1;
  }
  return released;
}

/** The bytes of whole packs the cache holds right now (what releasePackData lets go of). */
export async function heldPackBytes(cache: object): Promise<number> {
  let bytes = 0;
  for (const [, index] of await packIndexes(cache)) {
    const pack = index.pack;
    if (pack instanceof PackOnFirstUse) bytes += pack.heldBytes;
    else if (pack instanceof Promise) bytes += ((await pack.catch(() => undefined)) as Uint8Array | null | undefined)?.byteLength ?? 0;
  }
  return bytes;
}

async function packIndexes(cache: object): Promise<Array<[string, PackIndexInternals]>> {
  const packs = packfileCache(cache);
  if (packs === undefined) return [];
  const indexes: Array<[string, PackIndexInternals]> = [];
  for (const [indexPath, loading] of [...packs]) {
    // A failed load removes itself from the map; there is nothing held in it.
    const index = (await Promise.resolve(loading).catch(() => undefined)) as PackIndexInternals | undefined;
    if (typeof indexPath === 'string' && typeof index === 'object' && index !== null && 'pack' in index) indexes.push([indexPath, index]);
  }
  return indexes;
}

/** A promise-like that runs `read` when first awaited, keeps what it gave, and tries again after a failure. */
class PackOnFirstUse implements PromiseLike<Buffer> {
  readonly #read: () => Promise<Buffer>;
  #reading: Promise<Buffer> | undefined;
  #bytes: Buffer | undefined;

  constructor(read: () => Promise<Buffer>) {
    this.#read = read;
  }

  get heldBytes(): number {
    return this.#bytes?.byteLength ?? 0;
  }

  then<A = Buffer, B = never>(onFulfilled?: ((value: Buffer) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): PromiseLike<A | B> {
    if (this.#reading === undefined) {
      const attempt = this.#read().then((bytes) => (this.#bytes = bytes));
      this.#reading = attempt;
      attempt.catch(() => {
        if (this.#reading === attempt) this.#reading = undefined;
      });
    }
    return this.#reading.then(onFulfilled, onRejected);
  }
}
