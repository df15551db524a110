// aurRecord: a served worker as the AUR RPC's package record — the `info`
// form (every field) and the `search` form (aurweb leaves out Submitter and
// the lists) — and the lowercased values `by=` searches compare with.
// Pure: the record and its IDs in, plain data out.

import type { WorkerRecord } from '../catalog/branchRecord.js';
import { splitByArch } from '../parse/srcinfo.js';

export interface AurIds {
  readonly id: number;
  readonly packageBaseId: number;
}

/** The relation lists aurweb keeps (aurweb/rpc.py TYPE_MAPPING), by .SRCINFO key and RPC field. */
export const AUR_RELATIONS = [
  ['depends', 'Depends'],
  ['makedepends', 'MakeDepends'],
  ['optdepends', 'OptDepends'],
  ['checkdepends', 'CheckDepends'],
  ['conflicts', 'Conflicts'],
  ['provides', 'Provides'],
  ['replaces', 'Replaces'],
] as const;

export type AurRelationKey = (typeof AUR_RELATIONS)[number][0];

/** What `by=` compares with, lowercased once (aurweb compares under MySQL's case-insensitive collation). */
export interface AurMatchFields {
  readonly name: string;
  readonly pkgbase: string;
  readonly description: string;
  /** Relation names without version condition or description, per .SRCINFO key. */
  readonly relations: Readonly<Record<AurRelationKey, ReadonlySet<string>>>;
  readonly groups: ReadonlySet<string>;
  readonly keywords: ReadonlySet<string>;
  /** The maintainer as written, its name part and its e-mail; undefined for an orphan. */
  readonly maintainer: ReadonlySet<string> | undefined;
  readonly comaintainers: ReadonlySet<string>;
}

export interface AurPackage {
  readonly name: string;
  readonly pkgbase: string;
  /** The `type=search` record. */
  readonly search: Readonly<Record<string, unknown>>;
  /** The `type=info` record. */
  readonly info: Readonly<Record<string, unknown>>;
  readonly match: AurMatchFields;
}

export function aurPackage(worker: WorkerRecord, ids: AurIds): AurPackage {
  const { fields, metadata } = worker;
  const name = worker.id;
  const pkgbase = worker.srcinfo.pkgbase.name;
  const description = fields.get('pkgdesc')?.[0] ?? metadata.description;
  const maintainers = metadata.maintainers ?? [];
  const maintainer = maintainers[0];
  const lastModified = worker.commit.time;

  const search = {
    Description: description,
    // The branch's first commit is not in the index; the indexed commit is the best date it has.
    FirstSubmitted: lastModified,
    ID: ids.id,
    LastModified: lastModified,
    Maintainer: maintainer ?? null,
    Name: name,
    NumVotes: 0,
    OutOfDate: null,
    PackageBase: pkgbase,
    PackageBaseID: ids.packageBaseId,
    Popularity: 0,
    URL: fields.get('url')?.[0] ?? metadata.homepage ?? null,
    URLPath: `/v1/workers/${encodeURIComponent(pkgbase)}/snapshot.tar.gz`,
    Version: worker.version,
  };

  // aurweb: License and Keywords are always there (maybe empty); the other lists only when not empty.
  const info: Record<string, unknown> = {
    ...search,
    Keywords: distinctSorted(metadata.tags ?? []),
    License: distinctSorted(fields.get('license') ?? []),
    PendingRequests: 0,
    Submitter: null,
  };
  const relations = {} as Record<AurRelationKey, ReadonlySet<string>>;
  for (const [key, field] of AUR_RELATIONS) {
    const values = mergedArchValues(worker, key);
    if (values.length > 0) info[field] = values;
    relations[key] = new Set(values.map((value) => relationName(value).toLowerCase()));
  }
  const groups = distinctSorted(fields.get('groups') ?? []);
  if (groups.length > 0) info.Groups = groups;
  const comaintainers = distinctSorted(maintainers.slice(1));
  if (comaintainers.length > 0) info.CoMaintainers = comaintainers;

  return {
    name,
    pkgbase,
    search: sortedKeys(search),
    info: sortedKeys(info),
    match: {
      name: name.toLowerCase(),
      pkgbase: pkgbase.toLowerCase(),
      description: description.toLowerCase(),
      relations,
      groups: lowered(groups),
      keywords: lowered(info.Keywords as string[]),
      maintainer: maintainer === undefined ? undefined : personForms(maintainer),
      comaintainers: new Set(comaintainers.flatMap((person) => [...personForms(person)])),
    },
  };
}

/**
 * The generic list and every `KEY_<arch>` list as one (what AUR tooling
 * expects), each value once, ordered by name as aurweb's
 * `SELECT DISTINCT … ORDER BY Name` returns them.
 */
function mergedArchValues(worker: WorkerRecord, key: AurRelationKey): string[] {
  const byArch = splitByArch(worker.fields, key);
  const values = [...new Set(Object.values(byArch).flat())];
  return values.sort((a, b) => compare(relationName(a), relationName(b)) || compare(a, b));
}

/** aurweb's parse_dep: the name before `: description` and before any `<`, `=` or `>` condition. */
export function relationName(value: string): string {
  const separator = value.indexOf(': ');
  const dependency = separator === -1 ? value : value.slice(0, separator);
  const condition = dependency.search(/[<=>]/);
  return condition === -1 ? dependency : dependency.slice(0, condition);
}

/** `Name <mail>` matches as written, by its name and by its mail, all lowercased. */
function personForms(person: string): ReadonlySet<string> {
  const forms = new Set([person.toLowerCase()]);
  const match = /^(.*?)\s*<([^>]*)>\s*$/.exec(person);
  if (match !== null) {
    if (match[1] !== '') forms.add(match[1]!.toLowerCase());
    if (match[2] !== '') forms.add(match[2]!.toLowerCase());
  }
  return forms;
}

function distinctSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compare);
}

function lowered(values: readonly string[]): ReadonlySet<string> {
  return new Set(values.map((value) => value.toLowerCase()));
}

/** Keys in code-point order: aurweb serialises with orjson's OPT_SORT_KEYS. */
function sortedKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compare(a, b)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
