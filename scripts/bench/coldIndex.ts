// coldIndex: a repository on disk, no saved state → first index made, in a
// fresh process per size (coldIndexChild.ts), next to native git reading the same
// files in the same run (nativeRead.ts). The page cache is warm for both:
// each is run once untimed first, so neither pays for the first disk read.

import type { BenchResources } from './benchResources.js';
import { nativeRead, type NativeReadResult } from './nativeRead.js';
import { runTsxScript } from './runTsxScript.js';

export interface ColdIndexResult {
  /** From opening the repository to the first index served, inside the child (firstIndex, as the service makes it). */
  readonly indexMs: number;
  /** From CHILD_PROCESS_FROM_BRANCHES on: the index made in a grandchild, its save, and loading that save. */
  readonly child?: { readonly indexMs: number; readonly saveMs: number; readonly loadMs: number; readonly peakRssBytes: number };
  /** The child's whole life until it printed: Node start, tsx and module loading included. */
  readonly processMs: number;
  readonly kind: string;
  readonly branches: number;
  readonly workers: number;
  readonly rssBytes: number;
  readonly native: NativeReadResult;
}

export async function measureColdIndex(options: { gitdir: string; timeoutMs: number; resources: BenchResources }): Promise<ColdIndexResult> {
  const { gitdir, timeoutMs, resources } = options;
  // Warms the page cache (the objects were just written by fast-import, but another size may have evicted them).
  await nativeRead({ gitdir, timeoutMs });
  const native = await nativeRead({ gitdir, timeoutMs });
  if (native.missing !== 0) throw new Error(`native git found ${native.missing} of the served files missing in the synthetic catalog`);
  const child = await runTsxScript<Omit<ColdIndexResult, 'native'>>({ script: 'scripts/bench/coldIndexChild.ts', args: [gitdir], timeoutMs, resources });
  return { ...child, native };
}
