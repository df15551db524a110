// Synthetic worker records for the API benchmark: N workers made from the
// fixture catalog's nine workers in turn (so platforms, backends, licenses
// and tags vary as in the real catalog), each renamed to its own id and run
// through the service's real indexing (parsers, rules, PKGBUILD reader), but
// without git: the benchmark measures answering, not reading branches.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleSnapshot, serveWorker } from '../../src/catalog/assembleSnapshot.js';
import type { BranchRecord } from '../../src/catalog/branchRecord.js';
import { indexBranchFiles } from '../../src/catalog/indexBranch.js';
import type { CatalogSnapshot, ServedWorker } from '../../src/catalog/snapshot.js';
import type { BranchFiles, TreeEntryInfo } from '../../src/git/types.js';
import { printSrcinfo } from '../../src/parse/pkgbuildSrcinfo.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/catalog/', import.meta.url));
const BASE_TIME = 1_767_225_600; // 2026-01-01T00:00:00Z

interface Template {
  readonly id: string;
  readonly files: ReadonlyMap<string, string>;
}

function templates(): Template[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'master')
    .map((entry) => entry.name)
    .sort()
    .map((id) => {
      const dir = path.join(FIXTURES, id);
      const files = new Map(readdirSync(dir).sort().map((name) => [name, readFileSync(path.join(dir, name), 'utf8')] as const));
      return { id, files };
    });
}

/**
 * The i-th synthetic worker's branch files: template i mod 9, renamed, committed
 * at its own second. Renaming can change what the PKGBUILD derives from its
 * pkgname (`${pkgname%-cuda}`), so the .SRCINFO is printed anew from the
 * renamed PKGBUILD wherever the reader decides it, as a maintainer would.
 */
async function branchFiles(template: Template, id: string, index: number): Promise<BranchFiles> {
  const texts = new Map([...template.files].map(([name, text]) => [name.replaceAll(template.id, id), text.replaceAll(template.id, id)]));
  const printed = await printSrcinfo(texts.get('PKGBUILD') ?? '');
  if (printed.kind === 'decided') texts.set('.SRCINFO', printed.srcinfo);
  const files = new Map<string, Uint8Array>();
  const entries: TreeEntryInfo[] = [];
  for (const [name, text] of texts) {
    files.set(name, Buffer.from(text));
    entries.push({ path: name, mode: '100644', type: 'blob', oid: fakeOid(`${id}/${name}`) });
  }
  const oid = fakeOid(id);
  return {
    commit: { oid, treeOid: fakeOid(`${id}/`), time: BASE_TIME + index, author: { name: 'Bench', email: 'bench@rbee.invalid' }, message: `Update ${id}\n` },
    entries,
    tree: entries.map((entry) => ({ ...entry, size: files.get(entry.path)!.byteLength })),
    treeTruncated: false,
    files,
  };
}

/** 40 hex digits, distinct per input: a stand-in oid (these workers never touch git). */
function fakeOid(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return (hash.toString(16).padStart(8, '0') + Buffer.from(text).toString('hex')).padEnd(40, '0').slice(0, 40);
}

export function syntheticApiWorkerId(index: number, templateId: string): string {
  return `${templateId}-s${String(index).padStart(5, '0')}`;
}

/** A snapshot of `count` served synthetic workers, as buildSnapshot would make it. */
export async function syntheticSnapshot(count: number, gitUrl: string): Promise<CatalogSnapshot> {
  const all = templates();
  const records: BranchRecord[] = [];
  for (let index = 0; index < count; index += 1) {
    const template = all[index % all.length]!;
    const id = syntheticApiWorkerId(index, template.id);
    const record = await indexBranchFiles({ name: id, oid: fakeOid(id) }, await branchFiles(template, id, index));
    if (record.workers.length === 0) throw new Error(`synthetic worker ${id} did not validate: ${record.problems.map((problem) => problem.code).join(', ')}`);
    records.push(record);
  }
  // A snapshot lists branches in name order, as buildSnapshot reads them.
  records.sort((a, b) => (a.name < b.name ? -1 : 1));
  const branches = new Map(records.map((record) => [record.name, record]));
  const workers = new Map<string, ServedWorker>();
  for (const record of records) for (const worker of record.workers) workers.set(worker.id, serveWorker(worker, undefined, gitUrl));
  return assembleSnapshot({ builtAt: new Date(), defaultBranch: undefined, branches, workers });
}
