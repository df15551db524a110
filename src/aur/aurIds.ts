// stableIds: the AUR's integer ID and PackageBaseID for names that have no
// database row to number them. An ID is a digest of the name, so it is the
// same after a restart, a refresh or on another replica, without storing
// anything.

import { createHash } from 'node:crypto';

/** IDs stay below 2^31: AUR clients parse them into 32-bit integers (paru's raur uses u32, Go clients int). */
const ID_SPACE = 0x7fffffff;
/** A collision needs another draw; a thousand in a row means the hash is broken, not unlucky. */
const MAX_DRAWS = 1000;

/** The first draw for a name; equal names in equal namespaces always draw the same. */
export function idDraw(namespace: string, name: string, draw = 0): number {
  const digest = createHash('sha256').update(`${namespace}\0${name}${draw === 0 ? '' : `\0${draw}`}`).digest();
  // 1 … 2^31-1: zero is left out so a falsy check in a client never mistakes an ID for "none".
  return (digest.readUInt32BE(0) % ID_SPACE) + 1;
}

/**
 * One distinct ID per name. Names are numbered in sorted order; a name whose
 * draw is taken draws again (`name\0n`), so the IDs are a pure function of
 * the set of names. With 31 bits a collision is rare (about 2% at 10,000
 * names), and it changes an ID only when a colliding name that sorts before
 * it appears or disappears.
 */
export function stableIds(namespace: string, names: Iterable<string>): Map<string, number> {
  const sorted = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const taken = new Set<number>();
  const ids = new Map<string, number>();
  for (const name of sorted) {
    let draw = 0;
    let id = idDraw(namespace, name);
    while (taken.has(id)) {
      draw += 1;
      if (draw >= MAX_DRAWS) throw new Error(`no free AUR id for ${name} after ${MAX_DRAWS} draws`);
      id = idDraw(namespace, name, draw);
    }
    taken.add(id);
    ids.set(name, id);
  }
  return ids;
}
