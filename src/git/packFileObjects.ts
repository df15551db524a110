// packFileObjects: a repository's packed objects read where they lie, one
// entry at a time, for refreshes. isomorphic-git reads a whole pack into
// memory at the first object it takes from it, and a refresh takes some from
// the clone's pack (the unchanged files of the branch it re-reads): 23 MB at
// 10,000 branches, held for as long as pushes keep coming (releasePackData
// lets go of it 10 s after the last). Here only each pack's index stays in
// memory (1.6 MB for that pack) with the pack file open; an entry costs one
// positional read.
//
// `reader()` lists the pack folder each time: packs new since the last call
// are opened and checked (checkPack), packs gone (merged away by
// consolidatePacks, or repacked by git in a local repository) are closed. A
// pack's name is its checksum and its content never changes under it, so a
// pack checked once stays good. A reader still in use when its pack file is
// closed reads nothing (a closed FileHandle has no descriptor, so no other
// file is read in its place) and its caller falls back to isomorphic-git, as
// it does for a loose object or anything else a pack reader cannot vouch for.
//
// Reads are synchronous, as ObjectReader's are: a few kilobytes from the page
// cache per entry, which costs less than a promise.

import { open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { readExactlySyncInto } from '../readExactly.js';
import { defaultGitFs, isNotFound, typedFs } from './gitFs.js';
import { packIndexNames } from './packIndexNames.js';
import { checkPack, packObjectReaderOver, type CheckedPack, type ObjectReader, type PackBytes } from './packObjectReader.js';

/** Delta bases one refresh's reader keeps: a refresh reads a few objects, each on a chain of at most 50. */
const REFRESH_BASE_CACHE_BYTES = 1024 * 1024;
/** The pack files are read through descriptors of their own, so the folder is listed on the real file system too. */
const nodeFs = typedFs(defaultGitFs);

interface OpenPack {
  readonly file: FileHandle;
  /** Undefined for a pack that did not check: kept, so that it is not read again at every refresh. */
  readonly checked: CheckedPack | undefined;
}

export class PackFileObjects {
  readonly #gitdir: string;
  readonly #folder: string;
  readonly #packs = new Map<string, OpenPack>();
  /** One listing at a time: two callers at once must not open the same pack twice. */
  #listing: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(gitdir: string) {
    this.#gitdir = gitdir;
    this.#folder = path.join(gitdir, 'objects', 'pack');
  }

  /** A reader over the packs there are now, with delta bases of its own: one per refresh. */
  reader(): Promise<ObjectReader> {
    const next = this.#listing.then(() => this.#sync());
    this.#listing = next.catch(() => undefined);
    return next;
  }

  /** Packs open now (checked or not); for tests and metrics. */
  get openPacks(): number {
    return this.#packs.size;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#listing;
    const open = [...this.#packs.values()];
    this.#packs.clear();
    await Promise.all(open.map((pack) => pack.file.close()));
  }

  async #sync(): Promise<ObjectReader> {
    if (this.#closed) throw new Error('PackFileObjects: closed');
    const names = new Set((await packIndexNames(nodeFs, this.#gitdir)).map((name) => name.slice(0, -'.idx'.length)));
    for (const [name, pack] of this.#packs) {
      if (names.has(name)) continue;
      this.#packs.delete(name);
      await pack.file.close();
    }
    for (const name of names) {
      if (this.#packs.has(name)) continue;
      const opened = await openPack(path.join(this.#folder, name));
      if (opened !== undefined) this.#packs.set(name, opened);
    }
    const checked: CheckedPack[] = [];
    for (const pack of this.#packs.values()) if (pack.checked !== undefined) checked.push(pack.checked);
    return packObjectReaderOver(checked, { baseCacheBytes: REFRESH_BASE_CACHE_BYTES });
  }
}

/** The pack at `base` (.idx and .pack), or undefined when either is gone already (removed while listed). */
async function openPack(base: string): Promise<OpenPack | undefined> {
  let file: FileHandle;
  let idx: Buffer;
  try {
    file = await open(`${base}.pack`, 'r');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  try {
    idx = await readFile(`${base}.idx`);
    const { size } = await file.stat();
    return { file, checked: checkPack(idx, bytesInFile(file, size)) };
  } catch (error) {
    await file.close();
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function bytesInFile(file: FileHandle, length: number): PackBytes {
  return {
    length,
    read(start, end) {
      const bytes = Buffer.allocUnsafe(end - start);
      try {
        readExactlySyncInto(file, bytes, start, () => new Error('the pack file ended early'));
        return bytes;
      } catch {
        // Cut short, closed since (fd -1: EBADF, never another file's bytes) or unreadable: the caller falls back.
        return undefined;
      }
    },
  };
}
