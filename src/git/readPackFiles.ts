// readPackFiles: the bytes of every pack of a gitdir and of its index, read
// once for a whole-catalog index. Shared, they live in SharedArrayBuffers, so
// the indexer threads each build a pack object reader over the same memory
// instead of copying or reading the packs again (packObjectReaderFrom).

import path from 'node:path';
import type { PromiseFsClient } from 'isomorphic-git';
import { typedFs } from './gitFs.js';
import { packIndexNames } from './packIndexNames.js';

/** One pack and its index (objects/pack/pack-*.pack and .idx), as read; not yet checked. */
export interface PackFiles {
  readonly idx: Uint8Array;
  readonly data: Uint8Array;
}

export interface ReadPackFilesOptions {
  readonly fs: PromiseFsClient;
  readonly gitdir: string;
  /** Copy the bytes into SharedArrayBuffers, which worker threads see without a copy of their own. */
  readonly shared?: boolean;
}

/** Every pack that has an index, in the order of the index names; a pack that cannot be read is left out. */
export async function readPackFiles(options: ReadPackFilesOptions): Promise<PackFiles[]> {
  const fs = typedFs(options.fs);
  const folder = path.join(options.gitdir, 'objects', 'pack');
  const packs: PackFiles[] = [];
  for (const name of await packIndexNames(fs, options.gitdir)) {
    const idxPath = path.join(folder, name);
    let idx: Uint8Array;
    let data: Uint8Array;
    try {
      idx = await fs.readFile(idxPath);
      data = await fs.readFile(`${idxPath.slice(0, -'.idx'.length)}.pack`);
      if (options.shared === true) {
        idx = sharedCopy(idx);
        data = sharedCopy(data);
      }
    } catch {
      // A pack git is writing or removing right now, or one too large for a Buffer
      // (or for shared memory): isomorphic-git decides.
      continue;
    }
    packs.push({ idx, data });
  }
  return packs;
}

function sharedCopy(bytes: Uint8Array): Uint8Array {
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  shared.set(bytes);
  return shared;
}
