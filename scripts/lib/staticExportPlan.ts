// staticExportPlan: which live URLs a static export holds and the file each
// one is written to. Only answers that depend on the path alone (no query
// string, no clock, no client) can be files; searches with parameters,
// /v1/changes, /v1/resolve, the AUR RPC, /health and /ready stay with the
// live service.
//
// The mapping a static host must apply (see README "Static export"):
//   a JSON resource  /P            → P.json       (/workers → workers.json)
//   a named file     /P/NAME       → P/NAME       (PKGBUILD, .SRCINFO, README.md, metadata.json,
//                                                   catalog.json, index.json.gz, …: already file names)
// `.json` is appended by route, never guessed from the name: ids may contain dots.

import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';
import { isWorkerId } from '../../src/catalog/workerId.js';

export interface ExportEntry {
  /** The live path, as requested from the service. */
  readonly url: string;
  /** Where the answer goes, relative to the export folder, `/`-separated. */
  readonly file: string;
}

/** The branch files the v1 API serves raw, in the order they are written. */
const V1_FILES = ['PKGBUILD', '.SRCINFO', 'metadata.json', 'README.md'] as const;

// The rbee-hive routes' shorthand (`/workers/cpu/PKGBUILD` → llm-worker-rbee-cpu),
// exported only where no worker has the bare name; the export test holds these
// to the live answers, so a change to the rule fails it rather than drifting.
const LEGACY_BACKEND_SHORTHANDS = ['cpu', 'cuda', 'metal', 'rocm'] as const;

const json = (url: string): ExportEntry => ({ url, file: `${url.slice(1)}.json` });
const named = (url: string): ExportEntry => ({ url, file: url.slice(1) });

export function staticExportPlan(snapshot: CatalogSnapshot): ExportEntry[] {
  const entries: ExportEntry[] = [
    json('/workers'),
    json('/v1/workers'),
    json('/v1/tags'),
    json('/v1/problems'),
    named('/v1/catalog.json'),
    named('/v1/index.json.gz'),
    named('/v1/index.json.gz.sha256'),
    named('/openapi.json'),
  ];
  const legacy = (id: string, files: ReadonlyMap<string, unknown>): void => {
    entries.push(json(`/workers/${id}`), json(`/workers/${id}/clone-url`));
    if (files.has('PKGBUILD')) entries.push(named(`/workers/${id}/PKGBUILD`));
  };
  for (const [id, served] of snapshot.workers) {
    legacy(id, served.files);
    entries.push(json(`/v1/workers/${id}`));
    for (const name of V1_FILES) if (served.files.has(name)) entries.push(named(`/v1/workers/${id}/${name}`));
    entries.push(
      json(`/v1/workers/${id}/clone-url`),
      json(`/v1/workers/${id}/versions`),
      named(`/v1/workers/${id}/snapshot.tar.gz`),
    );
  }
  for (const backend of LEGACY_BACKEND_SHORTHANDS) {
    const served = snapshot.workers.get(`llm-worker-rbee-${backend}`);
    if (served !== undefined && !snapshot.workers.has(backend)) legacy(backend, served.files);
  }
  // Every branch's report, served or not: a maintainer reads why a branch is missing.
  for (const branch of snapshot.branches.keys()) {
    if (isWorkerId(branch)) entries.push(json(`/v1/workers/${branch}/problems`));
  }
  return entries;
}
