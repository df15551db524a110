// The file system the git layer works through: isomorphic-git's
// PromiseFsClient (what CatalogRepository holds) plus the two calls our own
// atomic replace needs, and a typed view of it for our own reads and writes.

import nodeFs from 'node:fs';
import type { PromiseFsClient } from 'isomorphic-git';

/** A PromiseFsClient that can also rename and remove trees; `node:fs` is one. */
export type GitFs = PromiseFsClient & {
  readonly promises: PromiseFsClient['promises'] & { rename: Function; rm: Function };
};

export const defaultGitFs: GitFs = nodeFs;

export interface FileStats {
  readonly mode: number;
  readonly size: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** The node:fs/promises signatures the git layer calls. */
export interface TypedFs {
  readFile(path: string): Promise<Uint8Array>;
  readText(path: string): Promise<string>;
  /** The file's text, or undefined when it does not exist. */
  readTextIfExists(path: string): Promise<string | undefined>;
  readdir(path: string): Promise<string[]>;
  lstat(path: string): Promise<FileStats>;
  stat(path: string): Promise<FileStats>;
  readlink(path: string): Promise<string>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  mkdir(path: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

export interface WritableTypedFs extends TypedFs {
  rename(from: string, to: string): Promise<void>;
  removeTree(path: string): Promise<void>;
}

type Untyped = (...args: unknown[]) => Promise<unknown>;

// isomorphic-git types every fs method as `Function`; this is the one place
// that narrows them to the node:fs/promises signatures they must have.
export function typedFs(fs: PromiseFsClient): TypedFs {
  const p = fs.promises as unknown as Record<string, Untyped | undefined>;
  const call = (name: string): Untyped => {
    const method = p[name];
    if (typeof method !== 'function') throw new TypeError(`the fs given to the git layer has no promises.${name}()`);
    return method.bind(fs.promises);
  };
  const readText = async (path: string): Promise<string> => (await call('readFile')(path, 'utf8')) as string;
  return {
    readFile: async (path) => (await call('readFile')(path)) as Uint8Array,
    readText,
    readTextIfExists: async (path) => {
      try {
        return await readText(path);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    readdir: async (path) => (await call('readdir')(path)) as string[],
    lstat: async (path) => (await call('lstat')(path)) as FileStats,
    stat: async (path) => (await call('stat')(path)) as FileStats,
    readlink: async (path) => (await call('readlink')(path)) as string,
    writeFile: async (path, data) => void (await call('writeFile')(path, data)),
    mkdir: async (path) => void (await call('mkdir')(path, { recursive: true })),
    unlink: async (path) => void (await call('unlink')(path)),
  };
}

export function writableTypedFs(fs: GitFs): WritableTypedFs {
  const p = fs.promises as unknown as Record<string, Untyped>;
  return {
    ...typedFs(fs),
    rename: async (from, to) => void (await p.rename!.call(fs.promises, from, to)),
    removeTree: async (path) => void (await p.rm!.call(fs.promises, path, { recursive: true, force: true })),
  };
}

/** True for the error node:fs throws when a path does not exist. */
export function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
