// restoreRefs: puts the refs under one prefix back to a snapshot taken with
// readRawRefs — deleting refs that appeared, rewriting refs that moved. It
// undoes an isomorphic-git fetch that wrote refs but not the pack they need.

import type { PromiseFsClient } from 'isomorphic-git';
import { deleteRef, writeRef } from 'isomorphic-git';
import { readRawRefs } from './readRawRefs.js';

export interface RestoreRefsOptions {
  readonly fs: PromiseFsClient;
  readonly gitdir: string;
  readonly prefix: string;
  /** Full ref name → raw value (oid or `ref: target`), as readRawRefs returns. */
  readonly snapshot: ReadonlyMap<string, string>;
}

const SYMBOLIC = 'ref: ';

/** Resolves with the number of refs it changed. */
export async function restoreRefs(options: RestoreRefsOptions): Promise<number> {
  const { fs, gitdir, prefix, snapshot } = options;
  const current = await readRawRefs({ fs, gitdir, prefix });
  let changed = 0;
  for (const ref of current.keys()) {
    if (snapshot.has(ref)) continue;
    await deleteRef({ fs, gitdir, ref });
    changed += 1;
  }
  for (const [ref, value] of snapshot) {
    if (current.get(ref) === value) continue;
    const symbolic = value.startsWith(SYMBOLIC);
    await writeRef({ fs, gitdir, ref, value: symbolic ? value.slice(SYMBOLIC.length) : value, symbolic, force: true });
    changed += 1;
  }
  return changed;
}
