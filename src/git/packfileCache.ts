// packfileCache: the Map isomorphic-git keeps its loaded packs in, inside a
// repository's `cache` object (under Symbol('PackfileCache'), keyed by the
// path of each pack's index). It is an internal of isomorphic-git that
// consolidatePacks and releasePackData both reach into; should it change,
// this answers undefined and each of them falls back to what it does then.

export function packfileCache(cache: object): Map<unknown, unknown> | undefined {
  const key = Object.getOwnPropertySymbols(cache).find((symbol) => symbol.description === 'PackfileCache');
  const packs = key === undefined ? undefined : (cache as Record<PropertyKey, unknown>)[key];
  return packs instanceof Map ? packs : undefined;
}
