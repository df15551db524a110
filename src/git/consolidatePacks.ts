// consolidatePacks: against pack pile-up. Every single-branch fetch adds one
// small pack, and isomorphic-git looks for an object in every pack in turn
// (a readdir, then one index per pack) and keeps every index it has read in
// memory, so a mirror that took 10,000 pushes would read slower and hold
// more every day. Past `maxPacks`, the objects of all packs but the largest
// (the clone's) are written into one new pack and the small packs removed:
// local work, proportional to what the small packs hold, no network.
//
// Callers hold the mirror's lock (withGitdirLock): nothing reads the
// repository meanwhile. A crash part-way leaves objects in two packs, which
// is harmless, or a .pack without its .idx, which readers never look at and
// the next consolidation removes.

import path from 'node:path';
import { packObjects } from 'isomorphic-git';
import { writableTypedFs, type GitFs } from './gitFs.js';
import { storePack } from './storePack.js';

export const DEFAULT_MAX_PACKS = 32;

export interface ConsolidatePacksOptions {
  readonly fs: GitFs;
  readonly gitdir: string;
  /** The repository's isomorphic-git cache; emptied, since it holds the removed packs' indexes. */
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
  const oids = new Set<string>();
  for (const pack of small) for (const oid of readPackIndexOids(await files.readFile(path.join(packDir, `${pack.name}.idx`)))) oids.add(oid);
  const { packfile } = await packObjects({ fs, dir: gitdir, gitdir, oids: [...oids], cache });
  if (packfile === undefined) throw new Error('consolidatePacks: packObjects returned no pack');
  await storePack({ fs, gitdir, pack: Buffer.from(packfile.buffer, packfile.byteOffset, packfile.byteLength), cache });
  const merged = Buffer.from(packfile.subarray(packfile.length - 20)).toString('hex');
  for (const pack of small) {
    if (pack.name === `pack-${merged}`) continue;
    // The index first: a pack without one is invisible to readers.
    await files.unlink(path.join(packDir, `${pack.name}.idx`));
    await files.unlink(path.join(packDir, `${pack.name}.pack`));
  }
  // isomorphic-git documents the cache as droppable at any time; emptied in
  // place because every holder of this repository shares the object.
  for (const key of Reflect.ownKeys(cache)) delete (cache as Record<PropertyKey, unknown>)[key];
  return small.length;
}

/** The object ids listed in a version 2 pack index (gitformat-pack(5)). */
export function readPackIndexOids(idx: Uint8Array): string[] {
  const buffer = Buffer.from(idx.buffer, idx.byteOffset, idx.byteLength);
  if (buffer.length < 8 + 256 * 4 || buffer.readUInt32BE(0) !== 0xff744f63 || buffer.readUInt32BE(4) !== 2) {
    throw new Error('not a version 2 pack index');
  }
  const count = buffer.readUInt32BE(8 + 255 * 4);
  const start = 8 + 256 * 4;
  if (buffer.length < start + count * 20) throw new Error('truncated pack index');
  const oids: string[] = [];
  for (let index = 0; index < count; index += 1) oids.push(buffer.toString('hex', start + index * 20, start + (index + 1) * 20));
  return oids;
}
