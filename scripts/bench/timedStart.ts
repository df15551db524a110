// timedStart: starts the real service (scripts/lib/serviceProcess.ts) and
// times it from the spawn: when it first answers HTTP (listening) and when
// /ready first answers 200 (index ready), polled every POLL_MS. The service's
// own `catalog ready` log line (LOG_LEVEL=info) gives the index duration it
// measured itself, from after listening to the snapshot swapped in.

import { once } from 'node:events';
import { freePort, runService, type ServiceEntry } from '../lib/serviceProcess.js';
import type { BenchResources } from './benchResources.js';

const POLL_MS = 10;
const STOP_TIMEOUT_MS = 30_000;
const LOG_WAIT_MS = 3000;

export interface TimedService {
  readonly baseUrl: string;
  readonly pid: number;
  /** Milliseconds from the spawn to the first HTTP answer, and to /ready 200. */
  readonly listeningMs: number;
  readonly readyMs: number;
  /** From the `catalog ready` log line, when the log level lets it through. */
  readonly logged: { readonly durationMs: number; readonly workers: number } | undefined;
  output(): string;
  /** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves once the process is gone. */
  stop(): Promise<void>;
}

export async function timedStart(options: { env: Record<string, string>; readyTimeoutMs: number; resources: BenchResources; entry?: ServiceEntry }): Promise<TimedService> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const { child, output } = runService({ HOST: '127.0.0.1', PORT: String(port), ...options.env }, options.entry);
  options.resources.child(child);
  const exited = once(child, 'exit');
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  options.resources.onClose(stop);

  let listeningMs: number | undefined;
  const deadline = started + options.readyTimeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`service exited with ${child.exitCode ?? child.signalCode}:\n${output()}`);
    const status = await fetch(`${baseUrl}/ready`, { signal: AbortSignal.timeout(5000) }).then(async (response) => {
      await response.arrayBuffer();
      return response.status;
    }, () => undefined);
    const now = performance.now() - started;
    if (status !== undefined) listeningMs ??= now;
    if (status === 200) {
      return { baseUrl, pid: child.pid!, listeningMs: listeningMs ?? now, readyMs: now, logged: await waitForReadyLine(output, options.env.LOG_LEVEL), output, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await stop();
  throw new Error(`service not ready within ${options.readyTimeoutMs / 1000} s:\n${output()}`);
}

/** The line is written just after the swap that makes /ready answer 200, so it may arrive a moment later. */
async function waitForReadyLine(output: () => string, logLevel: string | undefined): Promise<TimedService['logged']> {
  const deadline = performance.now() + LOG_WAIT_MS;
  let line = readyLogLine(output());
  while (line === undefined && (logLevel === 'info' || logLevel === 'debug') && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    line = readyLogLine(output());
  }
  return line;
}

function readyLogLine(output: string): TimedService['logged'] {
  for (const text of output.split('\n')) {
    if (!text.includes('"catalog ready')) continue;
    try {
      const line = JSON.parse(text) as { durationMs?: unknown; workers?: unknown };
      if (typeof line.durationMs === 'number' && typeof line.workers === 'number') return { durationMs: line.durationMs, workers: line.workers };
    } catch {
      // not a JSON line
    }
  }
  return undefined;
}
