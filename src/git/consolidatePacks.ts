// consolidatePacks: against pack pile-up. Every single-branch fetch adds one
// small pack, and isomorphic-git looks for an object in every pack in turn
// (a readdir, then one index per pack) and keeps every index it has read in
// memory, so a mirror that took 10,000 pushes would read slower and hold
// more every day. Past `maxPacks`, all packs but the largest (the clone's)
// are merged into one by copying (mergePacks: no object is inflated), or, if
// they share an object, re-packed by isomorphic-git; then the small packs
// are removed. Local work, no network.
//
// Callers hold the mirror's lock (withGitdirLock): nothing reads the
// repository meanwhile. The new index is renamed into place last, so readers
// see the merged pack whole or not at all; a crash part-way leaves objects in
// two packs, which is harmless, or a .pack without its .idx, which readers
// never look at and the next consolidation removes.

import path from 'node:path';
import { indexPack, packObjects } from 'isomorphic-git';
import { writableTypedFs, type GitFs, type WritableTypedFs } from './gitFs.js';
import { PackMergeError } from './errors.js';
import { mergePacks, readPackIndex, type PackWithIndex } from './mergePacks.js';
import { packfileCache } from './packfileCache.js';

export const DEFAULT_MAX_PACKS = 32;

export interface ConsolidatePacksOptions {
  readonly fs: GitFs;
  readonly gitdir: string;
  /** The repository's isomorphic-git cache; its entries for the removed packs are dropped. */
  readonly cache: object;
  readonly maxPacks?: number;
}

/** Resolves with how many packs were merged (0 when there were not too many). */
export async function consolidatePacks(options: ConsolidatePacksOptions): Promise<number> {
  const { fs, gitdir, cache } = options;
  const files = writableTypedFs(fs);
  const packDir = path.join(gitdir, 'objects', 'pack');
  const names = new Set(await files.readdir(packDir));
  const packs: Array<{ name: string; size: number }> = [];
  for (const name of names) {
    // An index a crash left half-renamed.
    if (name.endsWith('.idx.tmp')) await files.unlink(path.join(packDir, name));
    if (!name.endsWith('.pack')) continue;
    const base = name.slice(0, -'.pack'.length);
    if (!names.has(`${base}.idx`)) {
      await files.unlink(path.join(packDir, name));
      continue;
    }
    packs.push({ name: base, size: (await files.stat(path.join(packDir, name))).size });
  }
  if (packs.length <= (options.maxPacks ?? DEFAULT_MAX_PACKS)) return 0;

  packs.sort((a, b) => b.size - a.size);
  const small = packs.slice(1);
  const contents: PackWithIndex[] = [];
  for (const { name } of small) {
    contents.push({ pack: await readBuffer(files, path.join(packDir, `${name}.pack`)), idx: await readBuffer(files, path.join(packDir, `${name}.idx`)) });
  }
  let merged: string;
  try {
    merged = await writeMerged(files, packDir, mergePacks(contents));
  } catch (error) {
    if (!(error instanceof PackMergeError)) throw error;
    merged = await repack(fs, gitdir, cache, contents);
  }
  for (const { name } of small) {
    if (name === merged) continue;
    // The index first: a pack without one is invisible to readers.
    await files.unlink(path.join(packDir, `${name}.idx`));
    await files.unlink(path.join(packDir, `${name}.pack`));
  }
  forgetPacks(cache, small.filter(({ name }) => name !== merged).map(({ name }) => `/objects/pack/${name}.idx`));
  return small.length;
}

/**
 * Releases what isomorphic-git's cache holds for removed packs (each pack's
 * index and, once read from, the whole pack). Its pack cache is a Map under
 * Symbol('PackfileCache') keyed by index path; dropping only those entries
 * keeps the large pack's index warm. Should that internal ever change, the
 * whole cache is emptied instead, which isomorphic-git documents as safe at
 * any time (in place, because every holder of the repository shares it).
 */
function forgetPacks(cache: object, removedIndexSuffixes: readonly string[]): void {
  const packCache = packfileCache(cache);
  if (packCache !== undefined) {
    for (const path of [...packCache.keys()]) {
      if (typeof path === 'string' && removedIndexSuffixes.some((suffix) => path.endsWith(suffix))) packCache.delete(path);
    }
    return;
  }
  const slots = cache as Record<PropertyKey, unknown>;
  for (const own of Reflect.ownKeys(cache)) delete slots[own];
}

/** Writes pack-<sha>.pack, then its index under a temporary name renamed into place; resolves with the pack's name. */
async function writeMerged(files: WritableTypedFs, packDir: string, { pack, idx }: PackWithIndex): Promise<string> {
  const name = `pack-${pack.subarray(pack.length - 20).toString('hex')}`;
  await files.writeFile(path.join(packDir, `${name}.pack`), pack);
  const temporary = path.join(packDir, `.${name}.idx.tmp`);
  await files.writeFile(temporary, idx);
  await files.rename(temporary, path.join(packDir, `${name}.idx`));
  return name;
}

/** The slow way, for packs that share objects: every object re-packed by isomorphic-git. */
async function repack(fs: GitFs, gitdir: string, cache: object, contents: readonly PackWithIndex[]): Promise<string> {
  const oids = new Set<string>();
  for (const { idx } of contents) for (const entry of readPackIndex(idx)) oids.add(entry.oid.toString('hex'));
  const { filename } = await packObjects({ fs, dir: gitdir, gitdir, oids: [...oids], cache, write: true });
  await indexPack({ fs, dir: gitdir, gitdir, filepath: path.posix.join('objects', 'pack', filename), cache });
  return filename.slice(0, -'.pack'.length);
}

async function readBuffer(files: WritableTypedFs, file: string): Promise<Buffer> {
  const bytes = await files.readFile(file);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
