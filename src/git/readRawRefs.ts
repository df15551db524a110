// readRawRefs: every ref under one prefix of a gitdir, read in a single pass —
// `packed-refs` once plus the loose ref files — as full ref name → raw value
// (an oid, or `ref: <target>` for a symbolic ref). isomorphic-git has no call
// that does this: resolving names one by one re-reads packed-refs each time,
// which is quadratic in the number of branches.

import path from 'node:path';
import type { PromiseFsClient } from 'isomorphic-git';
import { mapLimited } from '../mapLimited.js';
import { isNotFound, typedFs, type TypedFs } from './gitFs.js';

export interface ReadRawRefsOptions {
  readonly fs: PromiseFsClient;
  readonly gitdir: string;
  /** E.g. `refs/heads/`; must end with `/`. */
  readonly prefix: string;
  /**
   * Told of every entry skipped because it holds neither an oid nor `ref: …`
   * (a packed-refs line, or a loose file caught half-written): where it is,
   * relative to the gitdir, and what it holds. checkMirror counts these as damage.
   */
  readonly onUnreadable?: (where: string, content: string) => void;
}

const OID = /^[0-9a-f]{40}$/;
// Thousands of loose refs read all at once exhaust file descriptors (EMFILE);
// a few dozen in flight are as fast.
const CONCURRENT_READS = 32;

export async function readRawRefs(options: ReadRawRefsOptions): Promise<Map<string, string>> {
  const fs = typedFs(options.fs);
  const unreadable = options.onUnreadable ?? (() => undefined);
  const refs = await readPackedRefs(fs, options.gitdir, options.prefix, unreadable);
  // Loose refs are newer than packed ones: git writes a loose file on update and
  // only folds them into packed-refs on `pack-refs`, so loose ones win.
  await readLooseRefs(fs, options.gitdir, options.prefix, refs, unreadable);
  return refs;
}

type Unreadable = (where: string, content: string) => void;

async function readPackedRefs(fs: TypedFs, gitdir: string, prefix: string, unreadable: Unreadable): Promise<Map<string, string>> {
  const refs = new Map<string, string>();
  const text = await fs.readTextIfExists(path.join(gitdir, 'packed-refs'));
  if (text === undefined) return refs;
  for (const line of text.split('\n')) {
    // `#` starts the header, `^` a peeled tag oid belonging to the line above.
    if (line === '' || line.startsWith('#') || line.startsWith('^')) continue;
    const space = line.indexOf(' ');
    const oid = line.slice(0, space);
    const name = line.slice(space + 1).trimEnd();
    if (space !== 40 || !OID.test(oid)) unreadable('packed-refs', line);
    else if (name.startsWith(prefix)) refs.set(name, oid);
  }
  return refs;
}

async function readLooseRefs(fs: TypedFs, gitdir: string, folder: string, refs: Map<string, string>, unreadable: Unreadable): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(path.join(gitdir, folder));
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
  await mapLimited(names, CONCURRENT_READS, async (name) => {
    const ref = `${folder}${name}`;
    // Lock files are refs being written by git right now; the old value stands.
    if (name.endsWith('.lock')) return;
    let value: string;
    try {
      // Reading first and recursing on EISDIR costs one call per ref instead of two.
      value = (await fs.readText(path.join(gitdir, ref))).trim();
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EISDIR') {
        await readLooseRefs(fs, gitdir, `${ref}/`, refs, unreadable);
        return;
      }
      // Deleted since the readdir: whatever packed-refs said stands, as for git.
      if (isNotFound(error)) return;
      throw error;
    }
    // A file caught half-written (isomorphic-git writes refs in place) is skipped
    // rather than reported as a branch pointing at garbage.
    if (OID.test(value) || value.startsWith('ref: ')) refs.set(ref, value);
    else unreadable(ref, value);
  });
}
