// legacyEntry: a worker as the previous service and rbee-hive know it
// (GET /workers, GET /workers/:id). rbee-hive deserialises id, name, version,
// platforms, architectures and depends; the previous service spelled some
// fields in snake_case, the newer contract in camelCase — both are served so
// neither kind of client breaks.

import type { WorkerRecord } from './branchRecord.js';

export interface LegacyEntry {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly workerType: string;
  readonly worker_type: string;
  readonly implementation: string;
  readonly platforms: readonly string[];
  readonly architectures: readonly string[];
  readonly depends: readonly string[];
  readonly makedepends: readonly string[];
  readonly license: string;
  readonly pkgbuildUrl: string;
  readonly pkgbuild_url: string;
  readonly supported_formats: readonly string[];
  readonly max_context_length?: number;
  readonly supports_streaming: boolean;
  readonly supports_batching: boolean;
}

export function legacyEntry(worker: WorkerRecord): LegacyEntry {
  const { metadata, fields } = worker;
  const pkgbuildUrl = `/workers/${worker.id}/PKGBUILD`;
  const capabilities = metadata.capabilities ?? {};
  return {
    id: worker.id,
    name: metadata.name,
    version: worker.version,
    description: metadata.description,
    workerType: metadata.worker_type,
    worker_type: metadata.worker_type,
    implementation: metadata.implementation ?? worker.id,
    platforms: metadata.platforms,
    architectures: metadata.architectures,
    // The legacy shape has no per-architecture lists: only the generic ones.
    depends: fields.get('depends') ?? [],
    makedepends: fields.get('makedepends') ?? [],
    license: metadata.license,
    pkgbuildUrl,
    pkgbuild_url: pkgbuildUrl,
    supported_formats: capabilities.supported_formats ?? [],
    ...(capabilities.max_context_length === undefined ? {} : { max_context_length: capabilities.max_context_length }),
    supports_streaming: capabilities.supports_streaming ?? false,
    supports_batching: capabilities.supports_batching ?? false,
  };
}
