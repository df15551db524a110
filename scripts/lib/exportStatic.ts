// exportStatic: writes the live answers of an app to a folder, one file per
// URL of the plan, with the answer's exact bytes (each taken from
// app.inject of the live route, so the files cannot drift from the API), and
// describes them for a static host:
//   manifest.json — every file: url, file, bytes, sha256 and the headers to send
//   _headers      — the same headers in Netlify / Cloudflare Pages syntax
//   _redirects    — `/workers  /workers.json  200` rewrites in the same syntax

import { createHash } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { mapLimited } from '../../src/mapLimited.js';
import { exportFilePath } from './exportFilePath.js';
import type { ExportEntry } from './staticExportPlan.js';

export const MANIFEST_FORMAT = 'rbee-worker-catalog-static/1';

/** The answer headers a host should repeat; per-connection, per-client and encoding headers are the host's business. */
export const EXPORTED_HEADERS = [
  'content-type',
  'etag',
  'last-modified',
  'cache-control',
  'content-disposition',
  'x-checksum-sha256',
  'repr-digest',
  'x-content-type-options',
  'x-frame-options',
  'content-security-policy',
  'referrer-policy',
  'cross-origin-resource-policy',
] as const;

export interface ManifestFile {
  readonly url: string;
  readonly file: string;
  readonly bytes: number;
  /** Lowercase hex sha256 of the file. */
  readonly sha256: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ExportManifest {
  readonly format: typeof MANIFEST_FORMAT;
  /** The snapshot every file was taken from. */
  readonly snapshot: string;
  /** Where the folder is published (--base-url), or null: paths then start at the host's root. */
  readonly baseUrl: string | null;
  readonly files: readonly ManifestFile[];
}

export interface ExportStaticOptions {
  readonly app: FastifyInstance;
  readonly entries: readonly ExportEntry[];
  readonly snapshotId: string;
  /** Must not exist yet, or be an empty folder. */
  readonly outDir: string;
  readonly baseUrl?: string | undefined;
}

export class ExportError extends Error {
  constructor(readonly code: 'EXPORT_FOLDER_NOT_EMPTY' | 'EXPORT_PATH_CONFLICT' | 'EXPORT_ANSWER_FAILED', message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

/** Injections in flight at once: enough to overlap git reads, few enough to keep memory flat. */
const CONCURRENCY = 16;

export async function exportStatic(options: ExportStaticOptions): Promise<ExportManifest> {
  const { app, entries, outDir } = options;
  checkNoConflicts(entries);
  // Every target is checked before anything is written.
  const targets = entries.map((entry) => exportFilePath(outDir, entry.file));
  await prepareEmptyFolder(outDir);
  const files = await mapLimited(entries, CONCURRENCY, (entry, index) => exportOne(app, entry, targets[index]!));
  const manifest: ExportManifest = { format: MANIFEST_FORMAT, snapshot: options.snapshotId, baseUrl: options.baseUrl ?? null, files };
  const prefix = options.baseUrl === undefined ? '' : new URL(options.baseUrl).pathname.replace(/\/+$/, '');
  await writeFile(exportFilePath(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
  await writeFile(exportFilePath(outDir, '_headers'), headersFile(files, prefix), { flag: 'wx' });
  await writeFile(exportFilePath(outDir, '_redirects'), redirectsFile(files, prefix), { flag: 'wx' });
  return manifest;
}

async function exportOne(app: FastifyInstance, entry: ExportEntry, target: string): Promise<ManifestFile> {
  // No Accept-Encoding: the identity bytes; the host or CDN compresses.
  const response = await app.inject({ method: 'GET', url: entry.url });
  if (response.statusCode !== 200) {
    throw new ExportError('EXPORT_ANSWER_FAILED', `GET ${entry.url} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
  }
  const body = response.rawPayload;
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, body, { flag: 'wx' });
  const headers: Record<string, string> = {};
  for (const name of EXPORTED_HEADERS) {
    const value = response.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return { url: entry.url, file: entry.file, bytes: body.byteLength, sha256: createHash('sha256').update(body).digest('hex'), headers };
}

/** Two URLs on one file, or a file where another needs a folder (ids `x` and `x.json`), would lose an answer. */
function checkNoConflicts(entries: readonly ExportEntry[]): void {
  const owner = new Map<string, string>();
  for (const entry of entries) {
    const previous = owner.get(entry.file);
    if (previous !== undefined) throw new ExportError('EXPORT_PATH_CONFLICT', `${previous} and ${entry.url} would both be written to ${entry.file}`);
    owner.set(entry.file, entry.url);
  }
  for (const entry of entries) {
    const segments = entry.file.split('/');
    for (let end = 1; end < segments.length; end++) {
      const folder = segments.slice(0, end).join('/');
      const clash = owner.get(folder);
      if (clash !== undefined) throw new ExportError('EXPORT_PATH_CONFLICT', `${clash} is written to ${folder}, which ${entry.url} needs as a folder`);
    }
  }
}

async function prepareEmptyFolder(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const existing = await readdir(outDir);
  // Never mixed with, nor deleting, what is already there: stale files would be served as current.
  if (existing.length > 0) throw new ExportError('EXPORT_FOLDER_NOT_EMPTY', `${outDir} is not empty (${existing.length} entries): export into a new folder`);
}

function headersFile(files: readonly ManifestFile[], prefix: string): string {
  const blocks: string[] = [];
  for (const file of files) {
    const lines = Object.entries(file.headers).map(([name, value]) => `  ${name}: ${value}`).join('\n');
    // Both the live path and the file's own path: hosts differ in which one a rule matches after a rewrite.
    for (const at of new Set([`${prefix}${file.url}`, `${prefix}/${file.file}`])) blocks.push(`${at}\n${lines}\n`);
  }
  return blocks.join('');
}

function redirectsFile(files: readonly ManifestFile[], prefix: string): string {
  return files
    .filter((file) => file.url !== `/${file.file}`)
    .map((file) => `${prefix}${file.url} ${prefix}/${file.file} 200\n`)
    .join('');
}
