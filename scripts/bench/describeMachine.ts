// describeMachine: what the benchmark ran on (numbers from different machines
// do not compare), and the load average, read at the start and at the end.

import os from 'node:os';
import { git } from '../lib/nativeGit.js';

export interface Machine {
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly git: string;
}

export async function describeMachine(): Promise<Machine> {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    memoryGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    git: (await git(['--version'])).trim().replace(/^git version /, ''),
  };
}

/** The 1, 5 and 15 minute load averages as `0.85 / 1.10 / 1.20`. */
export function loadAverage(): string {
  return os.loadavg().map((value) => value.toFixed(2)).join(' / ');
}
