// v1Entry: everything the catalog knows about a served worker
// (GET /v1/workers/:id): metadata, the package's .SRCINFO fields with
// per-architecture lists kept apart, the commit it was read from, where its
// files are, how to clone it, and any warnings.

import type { WorkerMetadata } from '../parse/metadata.js';
import type { RejectedCommit, WorkerRecord } from './branchRecord.js';
import { cloneInfo } from './cloneInfo.js';
import { packageView, type PackageView } from './packageView.js';
import type { Problem } from './problem.js';

export interface V1Entry {
  readonly id: string;
  readonly branch: string;
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly workerType: string;
  readonly implementation: string | undefined;
  readonly platforms: readonly string[];
  readonly architectures: readonly string[];
  readonly license: string;
  readonly homepage: string | undefined;
  readonly tags: readonly string[];
  readonly maintainers: readonly string[];
  readonly capabilities: WorkerMetadata['capabilities'];
  readonly requiresLicense: boolean;
  readonly licenseUrl: string | undefined;
  readonly pricing: WorkerMetadata['pricing'];
  readonly package: PackageView;
  readonly commit: { readonly oid: string; readonly time: string };
  readonly files: Readonly<Record<string, string>>;
  readonly git: { readonly url: string; readonly branch: string; readonly cloneCommand: string };
  readonly problems: readonly Problem[];
  /** A newer commit of the branch that failed validation; this entry is the last good version. */
  readonly rejectedNewerCommit: { readonly oid: string; readonly time: string | null; readonly problems: readonly Problem[] } | null;
}

export function v1Entry(worker: WorkerRecord, gitUrl: string, rejected?: RejectedCommit): V1Entry {
  const { metadata } = worker;
  const clone = cloneInfo(gitUrl, worker.branch);
  const files: Record<string, string> = {};
  for (const name of worker.files.keys()) files[name] = `/v1/workers/${worker.id}/${name}`;
  return {
    id: worker.id,
    branch: worker.branch,
    name: metadata.name,
    description: metadata.description,
    version: worker.version,
    workerType: metadata.worker_type,
    implementation: metadata.implementation,
    platforms: metadata.platforms,
    architectures: metadata.architectures,
    license: metadata.license,
    homepage: metadata.homepage,
    tags: metadata.tags ?? [],
    maintainers: metadata.maintainers ?? [],
    capabilities: metadata.capabilities,
    requiresLicense: metadata.requires_license ?? false,
    licenseUrl: metadata.license_url,
    pricing: metadata.pricing,
    package: packageView(worker.fields, worker.srcinfo.pkgbase.name, worker.srcinfo.packages.map((pkg) => pkg.name)),
    commit: { oid: worker.commit.oid, time: new Date(worker.commit.time * 1000).toISOString() },
    files,
    git: { url: clone.git_url, branch: clone.branch, cloneCommand: clone.clone_command },
    problems: worker.problems,
    rejectedNewerCommit: rejected === undefined ? null : {
      oid: rejected.oid,
      time: rejected.commit === undefined ? null : new Date(rejected.commit.time * 1000).toISOString(),
      problems: rejected.problems,
    },
  };
}
