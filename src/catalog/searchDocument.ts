// SearchDocument: what search, filters, facets and sorting read of one served
// worker, lower-cased and split once per worker record, so a query over
// 10,000 workers is string compares, not string building.

import { facetKey } from './facetCodes.js';
import type { ServedWorker } from './snapshot.js';

export interface SearchDocument {
  readonly id: string;
  readonly served: ServedWorker;
  /** Commit time of the served version, seconds: the `updated` sort key. */
  readonly updated: number;
  readonly tags: readonly string[];
  /** Supported model formats, the family and the backend: words people search for that are not tags. */
  readonly keywords: readonly string[];
  /**
   * id, name, tags, keywords and description, lower-cased and joined by
   * newlines, best field first: every query term must occur in it, and where
   * it first occurs says how relevant the worker is (relevance.ts). A term
   * holds no whitespace, so it never matches across two fields.
   */
  readonly haystack: string;
  /** Where the id, the name and the tags-and-keywords end in `haystack`. */
  readonly idEnd: number;
  readonly nameEnd: number;
  readonly labelsEnd: number;
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
  /** `facet\0value` for each distinct facet value (facetCodes.ts numbers them per snapshot). */
  readonly facetKeys: readonly string[];
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
  const labels = [...tags, ...keywords].join('\n');
  const idEnd = record.id.length;
  const nameEnd = idEnd + 1 + nameText.length;
  const labelsEnd = nameEnd + 1 + labels.length;
  const facetKeys = new Set([
    ...metadata.platforms.map((platform) => facetKey('platform', platform)),
    ...metadata.architectures.map((arch) => facetKey('arch', arch)),
    facetKey('backend', metadata.worker_type),
    facetKey('license', metadata.license),
    ...tags.map((tag) => facetKey('tag', tag)),
  ]);
  return {
    id: record.id,
    served,
    updated: record.commit.time,
    tags,
    keywords,
    haystack: [record.id, nameText, labels, descriptionText].join('\n'),
    idEnd,
    nameEnd,
    labelsEnd,
    platforms: metadata.platforms,
    architectures: metadata.architectures,
    backend: metadata.worker_type,
    license: metadata.license,
    requiresLicense: metadata.requires_license ?? false,
    maintainers: lower(metadata.maintainers ?? []),
    depends: packageNames(fields, 'depends'),
    provides: new Set([...packageNames(fields, 'provides'), ...record.srcinfo.packages.map((pkg) => pkg.name.toLowerCase())]),
    facetKeys: [...facetKeys],
  };
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
