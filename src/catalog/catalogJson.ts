// catalogJson: the whole catalog in the planning documents' catalog.json
// format (GET /v1/catalog.json, and the file scripts/generate-catalog.ts
// writes for the default branch):
//
//   {"version":"1.0","workers":[{id, branch, variant, description, arch, git_url, pkgbuild_url}]}
//
// - variant: metadata.json's worker_type (cpu, cuda, metal, rocm), what the
//   seeds call the variant (`llm-worker-rbee-<variant>`).
// - arch: the .SRCINFO arch list, what makepkg will build for, in order.
// - pkgbuild_url: `/v1/workers/<id>/PKGBUILD`, a path on this service, not a
//   forge's raw URL: the service serves the last PKGBUILD that validated,
//   while a branch's raw file may be a rejected tip. It is a path, not an
//   absolute URL, because neither the service (behind a CDN) nor the script
//   knows the public origin, and both must write the same bytes; clients
//   resolve it against the catalog URL they already use.
//
// Pretty-printed (two spaces, final newline) because the file is committed
// to git, where a one-line file makes every diff the whole catalog.

import { advertisedGitUrl } from './advertisedGitUrl.js';
import { digestBody, type CachedBody } from './cachedBody.js';
import { perSnapshot } from './perSnapshot.js';
import type { CatalogSnapshot, ServedWorker } from './snapshot.js';

export const CATALOG_JSON_VERSION = '1.0';

export interface CatalogJsonEntry {
  readonly id: string;
  readonly branch: string;
  readonly variant: string;
  readonly description: string;
  readonly arch: readonly string[];
  readonly git_url: string;
  readonly pkgbuild_url: string;
}

export function catalogJsonEntry(served: ServedWorker): CatalogJsonEntry {
  const { record } = served;
  return {
    id: record.id,
    branch: record.branch,
    variant: record.metadata.worker_type,
    description: record.metadata.description,
    arch: record.fields.get('arch') ?? [],
    git_url: advertisedGitUrl(served),
    pkgbuild_url: `/v1/workers/${record.id}/PKGBUILD`,
  };
}

// A served worker is reused by every snapshot its branch does not move in,
// so after a push only the moved entries are serialised again.
const entryTexts = new WeakMap<ServedWorker, string>();
const ENTRY_INDENT = '    ';

function entryText(served: ServedWorker): string {
  let text = entryTexts.get(served);
  if (text === undefined) {
    text = ENTRY_INDENT + JSON.stringify(catalogJsonEntry(served), null, 2).replaceAll('\n', `\n${ENTRY_INDENT}`);
    entryTexts.set(served, text);
  }
  return text;
}

/** The document's bytes: exactly `JSON.stringify(document, null, 2) + '\n'`, joined from cached entries. */
export function catalogJsonText(workers: Iterable<ServedWorker>): string {
  const entries = [...workers].map(entryText);
  const list = entries.length === 0 ? '[]' : `[\n${entries.join(',\n')}\n  ]`;
  return `{\n  "version": ${JSON.stringify(CATALOG_JSON_VERSION)},\n  "workers": ${list}\n}\n`;
}

/** GET /v1/catalog.json: built once per snapshot; its ETag is its digest, so equal catalogs share it. */
export const catalogJson = perSnapshot((snapshot: CatalogSnapshot): CachedBody =>
  digestBody(Buffer.from(catalogJsonText(snapshot.workers.values())), 'application/json; charset=utf-8', snapshot.builtAt));
