// SearchDocument: what search, filters, facets and sorting read of one served
// worker, lower-cased and split once per worker record, so a query over
// 10,000 workers is string compares, not string building.

import type { ServedWorker } from './snapshot.js';

export interface SearchDocument {
  readonly id: string;
  readonly served: ServedWorker;
  /** Commit time of the served version, seconds: the `updated` sort key. */
  readonly updated: number;
  readonly nameText: string;
  readonly nameWords: readonly string[];
  readonly idWords: readonly string[];
  readonly descriptionText: string;
  readonly tags: readonly string[];
  /** Supported model formats, the family and the backend: words people search for that are not tags. */
  readonly keywords: readonly string[];
  /** id, name, description, tags and keywords, joined: every query term must occur in it. */
  readonly haystack: string;
  readonly platforms: readonly string[];
  readonly architectures: readonly string[];
  readonly backend: string;
  readonly license: string;
  readonly requiresLicense: boolean;
  readonly maintainers: readonly string[];
  /** Dependency names of every architecture, version constraints dropped, lower-cased. */
  readonly depends: ReadonlySet<string>;
  /** Names this worker provides, its own package names included (as pacman resolves them). */
  readonly provides: ReadonlySet<string>;
}

const documents = new WeakMap<ServedWorker, SearchDocument>();

/** The search document of a served worker; built once per served record, which outlives snapshots. */
export function searchDocument(served: ServedWorker): SearchDocument {
  let document = documents.get(served);
  if (document === undefined) {
    document = buildDocument(served);
    documents.set(served, document);
  }
  return document;
}

function buildDocument(served: ServedWorker): SearchDocument {
  const { record } = served;
  const { metadata, fields } = record;
  const lower = (values: readonly string[]): string[] => values.map((value) => value.toLowerCase());
  const nameText = metadata.name.toLowerCase();
  const pkgdesc = fields.get('pkgdesc')?.[0] ?? '';
  const descriptionText = `${metadata.description}\n${pkgdesc}`.toLowerCase();
  const tags = lower(metadata.tags ?? []);
  const keywords = lower([
    ...(metadata.capabilities?.supported_formats ?? []),
    ...(metadata.implementation === undefined ? [] : [metadata.implementation]),
    metadata.worker_type,
  ]);
  return {
    id: record.id,
    served,
    updated: record.commit.time,
    nameText,
    nameWords: words(nameText),
    idWords: record.id.split(/[-_.+]/),
    descriptionText,
    tags,
    keywords,
    haystack: [record.id, nameText, descriptionText, ...tags, ...keywords].join('\n'),
    platforms: metadata.platforms,
    architectures: metadata.architectures,
    backend: metadata.worker_type,
    license: metadata.license,
    requiresLicense: metadata.requires_license ?? false,
    maintainers: lower(metadata.maintainers ?? []),
    depends: packageNames(fields, 'depends'),
    provides: new Set([...packageNames(fields, 'provides'), ...record.srcinfo.packages.map((pkg) => pkg.name.toLowerCase())]),
  };
}

function words(text: string): string[] {
  return text.split(/[^a-z0-9]+/).filter((word) => word !== '');
}

/** `foo>=1.2` → `foo`, over the generic and every architecture-specific list of `key`. */
function packageNames(fields: ReadonlyMap<string, readonly string[]>, key: string): Set<string> {
  const names = new Set<string>();
  for (const [field, values] of fields) {
    if (field !== key && !field.startsWith(`${key}_`)) continue;
    for (const value of values) names.add(value.split(/[<>=:]/, 1)[0]!.toLowerCase());
  }
  return names;
}
