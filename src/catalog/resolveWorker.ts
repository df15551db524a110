// resolveWorker: picks the variant of a worker family that fits a host — what
// rbee-hive's `install llm-worker --auto` asks — and says why, or why each
// candidate does not fit. Pure: a snapshot and a request in, a choice out.
//
// Candidates: the family's workers (workerFamilies.ts) plus the worker whose
// id is the name asked for, so a full id resolves to itself when it fits.
// A candidate fits when metadata.json lists the platform and the architecture,
// its .SRCINFO `arch` allows the architecture (`any` or the name itself, as
// makepkg decides), its backend is acceptable and, when only free workers are
// asked for, it needs no purchased license. Among those that fit, the earliest
// backend in the preference order wins; then a free worker before one that
// needs a license; then the id.

import { metadataVocabulary } from './metadataVocabulary.js';
import type { CatalogSnapshot, ServedWorker } from './snapshot.js';
import { workerFamilies } from './workerFamilies.js';

export interface ResolveRequest {
  /** A family name (metadata.json `implementation`) or a worker id. */
  readonly worker: string;
  readonly platform: string;
  readonly arch: string;
  /** Acceptable backends, most preferred first; undefined accepts every backend in defaultBackendOrder(). */
  readonly accel?: readonly string[] | undefined;
  /** True: workers with `requires_license` do not fit. */
  readonly free?: boolean | undefined;
}

/** Why a candidate does or does not fit; each reason is `CODE: words`. */
export interface CandidateVerdict {
  readonly id: string;
  readonly workerType: string;
  readonly requiresLicense: boolean;
  readonly matched: boolean;
  readonly reasons: readonly string[];
}

export interface Resolution {
  /** The chosen worker; undefined when no candidate fits (or there are none). */
  readonly chosen: ServedWorker | undefined;
  /** Why it was chosen, or why nothing was. */
  readonly reason: string;
  /** The backend preference order applied: the request's, or the default. */
  readonly accel: readonly string[];
  /** Every candidate, in id order. */
  readonly candidates: readonly CandidateVerdict[];
}

export const REASON_CODES = {
  platform: 'PLATFORM_UNSUPPORTED',
  arch: 'ARCH_UNSUPPORTED',
  packageArch: 'PACKAGE_ARCH_UNSUPPORTED',
  backend: 'BACKEND_NOT_ACCEPTED',
  license: 'LICENSE_REQUIRED',
} as const;

// GPUs before the CPU: a host that has one wants it. CUDA before ROCm before
// Metal only orders what one host rarely offers together.
const PREFERRED_BACKENDS = ['cuda', 'rocm', 'metal', 'cpu'];

/** The order used without `accel`: PREFERRED_BACKENDS, then any backend the schema adds later. */
export function defaultBackendOrder(): readonly string[] {
  const { backends } = metadataVocabulary();
  return [...PREFERRED_BACKENDS.filter((backend) => backends.includes(backend)), ...backends.filter((backend) => !PREFERRED_BACKENDS.includes(backend))];
}

export function resolveWorker(snapshot: CatalogSnapshot, request: ResolveRequest): Resolution {
  const accel = request.accel ?? defaultBackendOrder();
  const served = candidatesOf(snapshot, request.worker);
  const verdicts = served.map((candidate) => judge(candidate, request, accel));
  const fitting = served.filter((_, index) => verdicts[index]?.matched === true).sort(byPreference(accel));
  const chosen = fitting[0];
  const host = `${request.platform}/${request.arch}`;
  if (served.length === 0) return { chosen, reason: `no worker or worker family is named ${request.worker}`, accel, candidates: verdicts };
  if (chosen === undefined) {
    return { chosen, reason: `none of the ${served.length} candidate(s) of ${request.worker} fits ${host} with backends ${accel.join(', ')}${request.free === true ? ' and no license' : ''}`, accel, candidates: verdicts };
  }
  return { chosen, reason: explainChoice(chosen, fitting, accel, host), accel, candidates: verdicts };
}

/** The family's workers and the worker of that id, once each, in id order. */
function candidatesOf(snapshot: CatalogSnapshot, name: string): ServedWorker[] {
  const members = workerFamilies(snapshot).get(name) ?? [];
  const direct = snapshot.workers.get(name);
  if (direct === undefined || members.includes(direct)) return [...members];
  return [...members, direct].sort((a, b) => compareIds(a.record.id, b.record.id));
}

function judge(served: ServedWorker, request: ResolveRequest, accel: readonly string[]): CandidateVerdict {
  const { metadata, fields } = served.record;
  const requiresLicense = metadata.requires_license === true;
  const platforms: readonly string[] = metadata.platforms;
  const architectures: readonly string[] = metadata.architectures;
  const reasons: string[] = [];
  if (!platforms.includes(request.platform)) {
    reasons.push(`${REASON_CODES.platform}: metadata.json platforms are ${metadata.platforms.join(', ')}, not ${request.platform}`);
  }
  if (!architectures.includes(request.arch)) {
    reasons.push(`${REASON_CODES.arch}: metadata.json architectures are ${metadata.architectures.join(', ')}, not ${request.arch}`);
  }
  const packageArch = fields.get('arch') ?? [];
  if (!packageArch.includes('any') && !packageArch.includes(request.arch)) {
    reasons.push(`${REASON_CODES.packageArch}: .SRCINFO arch is ${packageArch.join(', ') || 'empty'}, neither ${request.arch} nor any`);
  }
  if (!accel.includes(metadata.worker_type)) {
    reasons.push(`${REASON_CODES.backend}: backend ${metadata.worker_type} is not one of ${accel.join(', ')}`);
  }
  if (request.free === true && requiresLicense) {
    reasons.push(`${REASON_CODES.license}: needs a purchased license, and only free workers were asked for`);
  }
  return { id: served.record.id, workerType: metadata.worker_type, requiresLicense, matched: reasons.length === 0, reasons };
}

function byPreference(accel: readonly string[]): (a: ServedWorker, b: ServedWorker) => number {
  return (a, b) =>
    accel.indexOf(a.record.metadata.worker_type) - accel.indexOf(b.record.metadata.worker_type)
    || Number(a.record.metadata.requires_license === true) - Number(b.record.metadata.requires_license === true)
    || compareIds(a.record.id, b.record.id);
}

function explainChoice(chosen: ServedWorker, fitting: readonly ServedWorker[], accel: readonly string[], host: string): string {
  const backend = chosen.record.metadata.worker_type;
  const parts = [`${backend} is the first backend of ${accel.join(', ')} with a worker for ${host}`];
  const sameBackend = fitting.slice(1).filter((other) => other.record.metadata.worker_type === backend);
  const licensed = sameBackend.filter((other) => other.record.metadata.requires_license === true && chosen.record.metadata.requires_license !== true);
  const byId = sameBackend.filter((other) => !licensed.includes(other));
  if (licensed.length > 0) parts.push(`a free worker comes before ${licensed.map((other) => other.record.id).join(', ')}, which need${licensed.length === 1 ? 's' : ''} a license`);
  if (byId.length > 0) parts.push(`${byId.map((other) => other.record.id).join(', ')} also fit${byId.length === 1 ? 's' : ''}; the id breaks the tie`);
  const others = fitting.filter((other) => other.record.metadata.worker_type !== backend);
  if (others.length > 0) parts.push(`also fitting, with a less preferred backend: ${others.map((other) => other.record.id).join(', ')}`);
  return parts.join('; ');
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
