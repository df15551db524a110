// storePack: puts a pack received from the network into a repository, after
// checking the trailer (the last 20 bytes must be the SHA-1 of everything
// before them); indexPack then hashes every object it indexes, so what lands
// in the repository is exactly what the ids say.
//
// Atomic against a crash: the pack and its .idx are written in a folder of
// their own under objects/incoming/, where no reader looks, and renamed into
// objects/pack/ — the .pack first, the .idx last, since an index is what
// makes a pack visible. A SIGKILL at any point leaves either nothing new
// where readers look, or a whole pack without an index (invisible; removed
// by consolidatePacks or at open), or the whole pair. What is left in
// objects/incoming/ is removed when the mirror is opened (removeIncomingPacks).

import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { indexPack } from 'isomorphic-git';
import { InvalidPackError } from './errors.js';
import { writableTypedFs, type GitFs } from './gitFs.js';

const HEADER_BYTES = 12;
const TRAILER_BYTES = 20;
/** Where packs are written before they are renamed into objects/pack (git itself uses objects/incoming-* for pushes). */
export const INCOMING_PACKS_DIR = path.posix.join('objects', 'incoming');

/** Resolves with the number of objects stored (0 for an empty pack, which is not written). */
export async function storePack(options: { fs: GitFs; gitdir: string; pack: Buffer; cache: object }): Promise<number> {
  const { fs, gitdir, pack, cache } = options;
  if (pack.length < HEADER_BYTES + TRAILER_BYTES || pack.toString('latin1', 0, 4) !== 'PACK') throw new InvalidPackError('no PACK header');
  const version = pack.readUInt32BE(4);
  if (version !== 2 && version !== 3) throw new InvalidPackError(`version ${version}`);
  const objects = pack.readUInt32BE(8);
  const body = pack.subarray(0, pack.length - TRAILER_BYTES);
  const trailer = pack.subarray(pack.length - TRAILER_BYTES).toString('hex');
  if (createHash('sha1').update(body).digest('hex') !== trailer) throw new InvalidPackError('its checksum does not match its content');
  if (objects === 0) return 0;

  const name = `pack-${trailer}`;
  // One folder per call: a leftover of a crashed run can never be mistaken for this one's files.
  const incoming = path.posix.join(INCOMING_PACKS_DIR, `${process.pid}-${randomBytes(4).toString('hex')}`);
  const files = writableTypedFs(fs);
  const packDir = path.join(gitdir, 'objects', 'pack');
  try {
    await files.mkdir(path.join(gitdir, incoming));
    await files.mkdir(packDir);
    await files.writeFile(path.join(gitdir, incoming, `${name}.pack`), pack);
    // indexPack resolves `filepath` against `dir`; a bare mirror has none, so its gitdir stands in.
    // Deltas against objects the mirror already has are resolved through `gitdir`, wherever the pack sits.
    await indexPack({ fs, dir: gitdir, gitdir, filepath: path.posix.join(incoming, `${name}.pack`), cache });
    await files.rename(path.join(gitdir, incoming, `${name}.pack`), path.join(packDir, `${name}.pack`));
    await files.rename(path.join(gitdir, incoming, `${name}.idx`), path.join(packDir, `${name}.idx`));
  } finally {
    await files.removeTree(path.join(gitdir, incoming));
  }
  return objects;
}

/** Removes what crashed storePack calls left in objects/incoming/; call with the mirror's lock held. */
export async function removeIncomingPacks(options: { fs: GitFs; gitdir: string }): Promise<void> {
  await writableTypedFs(options.fs).removeTree(path.join(options.gitdir, INCOMING_PACKS_DIR));
}
