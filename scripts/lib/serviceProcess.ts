// Starts the real service (src/server.ts, as `npm start` does) in a child
// process on a free loopback port: tests and benchmarks talk to it over HTTP.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface ServiceProcess {
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** How to start the service: Node's arguments, and the folder they are relative to. */
export interface ServiceEntry {
  readonly cwd: string;
  readonly args: readonly string[];
}

/** The sources through tsx, as `npm start` runs them. */
export const SOURCE_ENTRY: ServiceEntry = { cwd: PROJECT_DIR, args: ['--import', 'tsx', 'src/server.ts'] };

/** Spawns the service with exactly `env` (plus PATH, HOME and LOG_LEVEL=warn unless given). */
export function runService(env: Record<string, string>, entry: ServiceEntry = SOURCE_ENTRY): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, entry.args, {
    cwd: entry.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  return { child, output: () => output };
}

/** Starts the service on a free loopback port and resolves once /ready answers 200. */
export async function startService(env: Record<string, string>, options: { readyTimeoutMs?: number } = {}): Promise<ServiceProcess> {
  const port = await freePort();
  const { child, output } = runService({ HOST: '127.0.0.1', PORT: String(port), ...env });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(baseUrl, child, output, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, child, output, stop };
}

/** Polls /ready until the deadline; fails early when the process dies. */
async function waitUntilReady(baseUrl: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/ready`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`service not ready within ${timeoutMs / 1000} s:\n${output()}`);
}
