// readRef: where one ref points, or undefined when it does not exist. For a
// single ref, isomorphic-git's resolveRef (packed-refs plus the loose file)
// is right; for many, use readRawRefs, which reads packed-refs once.

import { Errors, resolveRef, type PromiseFsClient } from 'isomorphic-git';

export async function readRef(options: { fs: PromiseFsClient; gitdir: string; ref: string }): Promise<string | undefined> {
  try {
    return await resolveRef({ fs: options.fs, gitdir: options.gitdir, ref: options.ref });
  } catch (error) {
    if (error instanceof Errors.NotFoundError) return undefined;
    throw error;
  }
}
