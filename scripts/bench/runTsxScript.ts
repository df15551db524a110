// runTsxScript: runs a TypeScript file of this project in a fresh Node
// process (through tsx, as the service runs) and resolves with the JSON
// value of the last line it printed. Bounded by a timeout; tracked by
// BenchResources so an interrupted run leaves no process behind.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchResources } from './benchResources.js';

export const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface RunTsxScriptOptions {
  /** Path relative to the project, e.g. `scripts/bench/coldIndexChild.ts`. */
  readonly script: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  readonly resources: BenchResources;
}

export function runTsxScript<T>(options: RunTsxScriptOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = options.resources.child(spawn(process.execPath, ['--import', 'tsx', options.script, ...options.args], {
      cwd: PROJECT_DIR,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }));
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1);
      if (code !== 0 || last === undefined || last === '') {
        reject(new Error(`${options.script} ended with ${signal ?? code}${signal === 'SIGKILL' ? ` (timeout ${options.timeoutMs / 1000} s?)` : ''}:\n${stderr}${stdout}`));
        return;
      }
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${options.script} printed no JSON line:\n${stdout}`));
      }
    });
  });
}
