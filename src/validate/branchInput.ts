// BranchInput: what every validation rule gets to look at — one branch's
// files as text and what the parsers made of them.

import type { WorkerMetadata } from '../parse/metadata.js';
import type { Srcinfo } from '../parse/srcinfo.js';
import type { Problem } from '../catalog/problem.js';
import type { TreeFile } from '../git/types.js';
import type { SrcinfoReading } from '../parse/pkgbuildSrcinfo.js';

export interface BranchInput {
  /** The branch name, already checked against the worker-id pattern. */
  readonly branch: string;
  /** Top-level text files the service reads, decoded as UTF-8; absent when missing or undecodable. */
  readonly texts: ReadonlyMap<string, string>;
  readonly srcinfo: Srcinfo | undefined;
  readonly metadata: WorkerMetadata | undefined;
  /** Every file and folder of the branch, with blob sizes; empty when the caller has no tree (a working copy check passes its own). */
  readonly tree: readonly TreeFile[];
  /** True when the branch holds more entries than were listed. */
  readonly treeTruncated: boolean;
  /** What the PKGBUILD reader made of the PKGBUILD (absent without one, or when not asked). */
  readonly pkgbuildSrcinfo?: SrcinfoReading | undefined;
}

export type Rule = (input: BranchInput) => Problem[];
