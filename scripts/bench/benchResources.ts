// BenchResources: every child process, server and temporary folder one
// `npm run bench` run creates, so that a normal end, a failure or Ctrl-C
// leaves none of them behind.

import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** How long one closer (a service's SIGTERM shutdown, a server's close) may take before it is abandoned. */
const CLOSE_TIMEOUT_MS = 15_000;

export class BenchResources {
  readonly #children = new Set<ChildProcess>();
  readonly #dirs = new Set<string>();
  readonly #closers: Array<() => Promise<unknown>> = [];

  /** Tracks `child` until it exits; it is SIGKILLed if still running at close. */
  child<T extends ChildProcess>(child: T): T {
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    return child;
  }

  /** A new empty folder under the system's temporary folder, removed at close. */
  async tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), prefix));
    this.#dirs.add(dir);
    return dir;
  }

  /** Removes a folder made by tempDir now (a finished size frees its disk). */
  async removeDir(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    this.#dirs.delete(dir);
  }

  /** Runs `close` at close time, newest first, each bounded by CLOSE_TIMEOUT_MS. */
  onClose(close: () => Promise<unknown>): void {
    this.#closers.push(close);
  }

  /** Runs a closer registered with onClose now, once. */
  async closeNow(close: () => Promise<unknown>): Promise<void> {
    const index = this.#closers.lastIndexOf(close);
    if (index !== -1) this.#closers.splice(index, 1);
    await withinTimeout(close());
  }

  async close(): Promise<void> {
    for (const close of this.#closers.splice(0).reverse()) {
      await withinTimeout(close()).catch(() => undefined);
    }
    this.#killChildren();
    for (const dir of [...this.#dirs]) await this.removeDir(dir).catch(() => undefined);
  }

  /** The last resort on process exit: synchronous, so it runs inside an 'exit' handler. */
  closeSync(): void {
    this.#killChildren();
    for (const dir of this.#dirs) rmSync(dir, { recursive: true, force: true });
    this.#dirs.clear();
  }

  #killChildren(): void {
    for (const child of this.#children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    this.#children.clear();
  }
}

async function withinTimeout(work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, CLOSE_TIMEOUT_MS); });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
