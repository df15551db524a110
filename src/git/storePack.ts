// storePack: puts a pack received from the network into a repository, the
// way isomorphic-git's own fetch does (objects/pack/pack-<sha>.pack, then its
// .idx), after checking the trailer: the last 20 bytes must be the SHA-1 of
// everything before them. indexPack then hashes every object it indexes, so
// what lands in the repository is exactly what the ids say.

import { createHash } from 'node:crypto';
import path from 'node:path';
import { indexPack } from 'isomorphic-git';
import { InvalidPackError } from './errors.js';
import { writableTypedFs, type GitFs } from './gitFs.js';

const HEADER_BYTES = 12;
const TRAILER_BYTES = 20;

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

  const relative = path.posix.join('objects', 'pack', `pack-${trailer}.pack`);
  const files = writableTypedFs(fs);
  await files.mkdir(path.join(gitdir, 'objects', 'pack'));
  await files.writeFile(path.join(gitdir, relative), pack);
  // indexPack resolves `filepath` against `dir`; a bare mirror has none, so its gitdir stands in.
  await indexPack({ fs, dir: gitdir, gitdir, filepath: relative, cache });
  return objects;
}
