// aurSearch: which packages a `type=search&by=…&arg=…` finds, field by
// field as aurweb's RPCSearch does (aurweb/packages/search.py, aurweb/rpc.py
// _handle_search_type): name and name-desc are substring matches, the
// relation fields, groups, keywords and people are exact matches, all of
// them case-insensitive as aurweb's MySQL collation makes them. Unlike
// aurweb, `%` and `_` in the argument are plain characters, not wildcards.

import type { AurCatalog, AurEntry } from './aurCatalog.js';
import type { AurRelationKey } from './aurRecord.js';

/** aurweb's RPC.EXPOSED_BYS. */
export const AUR_SEARCH_BYS = [
  'name-desc', 'name', 'maintainer', 'depends', 'makedepends', 'optdepends', 'checkdepends',
  'provides', 'conflicts', 'replaces', 'groups', 'submitter', 'keywords', 'comaintainers',
] as const;

export type AurSearchBy = (typeof AUR_SEARCH_BYS)[number];

const BYS: ReadonlySet<string> = new Set(AUR_SEARCH_BYS);

export function isAurSearchBy(value: string): value is AurSearchBy {
  return BYS.has(value);
}

type Matcher = (entry: AurEntry, arg: string) => boolean;

const relation = (key: AurRelationKey): Matcher => (entry, arg) => entry.match.relations[key].has(arg);

const MATCHERS: Readonly<Record<AurSearchBy, Matcher>> = {
  'name-desc': (entry, arg) => entry.match.name.includes(arg) || entry.match.description.includes(arg),
  name: (entry, arg) => entry.match.name.includes(arg),
  // An empty argument finds the orphans (aurweb's _search_by_maintainer).
  maintainer: (entry, arg) => (arg === '' ? entry.match.maintainer === undefined : entry.match.maintainer?.has(arg) === true),
  depends: relation('depends'),
  makedepends: relation('makedepends'),
  optdepends: relation('optdepends'),
  checkdepends: relation('checkdepends'),
  // "A package always provides itself": aurweb unions an exact name search.
  provides: (entry, arg) => entry.match.name === arg || entry.match.relations.provides.has(arg),
  conflicts: relation('conflicts'),
  replaces: relation('replaces'),
  groups: (entry, arg) => entry.match.groups.has(arg),
  // The catalog knows no submitters (Submitter is null), so nothing matches — as aurweb for an unknown user.
  submitter: () => false,
  keywords: (entry, arg) => entry.match.keywords.has(arg),
  comaintainers: (entry, arg) => entry.match.comaintainers.has(arg),
};

/** Matching entries in Name order. */
export function searchAur(catalog: AurCatalog, by: AurSearchBy, arg: string): AurEntry[] {
  const matches = MATCHERS[by];
  const needle = arg.toLowerCase();
  return catalog.entries.filter((entry) => matches(entry, needle));
}

/** Names (or package bases) starting with `prefix`, in order, at most `limit` (aurweb: LIKE 'arg%' … LIMIT 20). */
export function suggestAur(names: readonly string[], prefix: string, limit: number): string[] {
  const needle = prefix.toLowerCase();
  const found: string[] = [];
  for (const name of names) {
    if (found.length >= limit) break;
    if (name.toLowerCase().startsWith(needle)) found.push(name);
  }
  return found;
}
