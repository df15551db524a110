// indexBranch: reads one worker branch at its tip commit, parses and
// validates its files, and returns the branch's record. It never throws for
// bad content: every defect becomes a Problem.

import type { ObjectReader } from '../git/packObjectReader.js';
import { readBranchFiles, readBranchFilesFromObjects } from '../git/readBranchFiles.js';
import type { BranchFiles, BranchRef, CatalogRepository } from '../git/types.js';
import { parseMetadata, type WorkerMetadata } from '../parse/metadata.js';
import { printSrcinfo } from '../parse/pkgbuildSrcinfo.js';
import { parseSrcinfo, type Srcinfo } from '../parse/srcinfo.js';
import { validateBranch } from '../validate/validateBranch.js';
import type { BranchFile, BranchRecord, WorkerRecord } from './branchRecord.js';
import { hasErrors, type Problem } from './problem.js';
import { servedPackage } from './servedPackage.js';
import { isWorkerId } from './workerId.js';

/** The top-level files the catalog reads and serves from a worker branch. */
export const SERVED_FILES = ['PKGBUILD', '.SRCINFO', 'metadata.json', 'README.md'] as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface IndexBranchOptions {
  /** The fast object path of a whole-catalog index (buildSnapshot opens one); isomorphic-git alone without it. */
  readonly objects?: ObjectReader;
  /** indexBranchFiles, or the same function run elsewhere (buildSnapshot's thread pool). */
  readonly indexFiles?: (ref: BranchRef, files: BranchFiles) => Promise<BranchRecord>;
}

export async function indexBranch(repo: CatalogRepository, ref: BranchRef, options: IndexBranchOptions = {}): Promise<BranchRecord> {
  // Checked before anything is read: a branch that cannot be a worker costs nothing.
  const badName = branchNameProblem(ref.name);
  if (badName !== undefined) return failed(ref, undefined, [badName]);
  let branchFiles: BranchFiles;
  try {
    branchFiles = await readBranchFiles(repo, { commitOid: ref.oid, names: SERVED_FILES, objects: options.objects });
  } catch (error) {
    return readFailed(ref, error);
  }
  return (options.indexFiles ?? indexBranchFiles)(ref, branchFiles);
}

/**
 * indexBranch with every object read from `objects` alone (an indexer thread
 * reads this way, with no repository at hand); undefined when the reader
 * cannot serve them all, and indexBranch must read the branch through
 * isomorphic-git instead — which is what indexBranch with `objects` does.
 */
export async function indexBranchFromObjects(objects: ObjectReader, ref: BranchRef): Promise<BranchRecord | undefined> {
  const badName = branchNameProblem(ref.name);
  if (badName !== undefined) return failed(ref, undefined, [badName]);
  let branchFiles: BranchFiles | undefined;
  try {
    branchFiles = readBranchFilesFromObjects(objects, { commitOid: ref.oid, names: SERVED_FILES });
  } catch (error) {
    return readFailed(ref, error);
  }
  return branchFiles === undefined ? undefined : indexBranchFiles(ref, branchFiles);
}

/** The record of a branch whose files are already read: from git here, from a working copy in scripts/validate.ts. */
export async function indexBranchFiles(ref: BranchRef, branchFiles: BranchFiles): Promise<BranchRecord> {
  const badName = branchNameProblem(ref.name);
  if (badName !== undefined) return failed(ref, branchFiles, [badName]);
  const { texts, problems } = decodeTexts(branchFiles.files);

  const srcinfoText = texts.get('.SRCINFO');
  const srcinfoResult = srcinfoText === undefined ? undefined : parseSrcinfo(srcinfoText);
  const metadataText = texts.get('metadata.json');
  const metadataResult = metadataText === undefined ? undefined : parseMetadata(metadataText);
  const srcinfo = srcinfoResult?.value;
  const metadata = metadataResult?.value;
  const pkgbuildText = texts.get('PKGBUILD');
  // Only compared with a committed .SRCINFO: without one there is nothing to check it against.
  const pkgbuildSrcinfo = pkgbuildText === undefined || srcinfoText === undefined ? undefined : await printSrcinfo(pkgbuildText);

  problems.push(
    ...(srcinfoResult?.problems ?? []),
    ...(metadataResult?.problems ?? []),
    ...validateBranch({ branch: ref.name, texts, srcinfo, metadata, tree: branchFiles.tree, treeTruncated: branchFiles.treeTruncated, pkgbuildSrcinfo }),
  );
  if (hasErrors(problems) || srcinfo === undefined || metadata === undefined) {
    return failed(ref, branchFiles, problems);
  }
  const worker = workerRecord(ref, branchFiles, srcinfo, metadata, problems);
  if (worker === undefined) {
    problems.push({
      code: 'SRCINFO_NO_PACKAGE',
      severity: 'error',
      file: '.SRCINFO',
      message: 'no package section yields a version: add `pkgname = <branch>` with pkgver and pkgrel',
    });
    return failed(ref, branchFiles, problems);
  }
  return { name: ref.name, oid: ref.oid, commit: branchFiles.commit, workers: [worker], problems };
}

function workerRecord(
  ref: BranchRef,
  branchFiles: BranchFiles,
  srcinfo: Srcinfo,
  metadata: WorkerMetadata,
  problems: readonly Problem[],
): WorkerRecord | undefined {
  const served = servedPackage(srcinfo, ref.name);
  if (served === undefined) return undefined;
  const { fields, version } = served;
  return {
    id: ref.name,
    branch: ref.name,
    commit: branchFiles.commit,
    version,
    metadata,
    srcinfo,
    fields,
    files: servedFiles(branchFiles),
    problems,
  };
}

function servedFiles(branchFiles: BranchFiles): ReadonlyMap<string, BranchFile> {
  const files = new Map<string, BranchFile>();
  for (const entry of branchFiles.entries) {
    const bytes = branchFiles.files.get(entry.path);
    if (bytes !== undefined) files.set(entry.path, { bytes, oid: entry.oid });
  }
  return files;
}

function decodeTexts(files: ReadonlyMap<string, Uint8Array>): { texts: Map<string, string>; problems: Problem[] } {
  const texts = new Map<string, string>();
  const problems: Problem[] = [];
  for (const [file, bytes] of files) {
    try {
      texts.set(file, utf8.decode(bytes));
    } catch {
      problems.push({ code: 'FILE_NOT_UTF8', severity: 'error', file, message: `${file} is not valid UTF-8 text` });
    }
  }
  return { texts, problems };
}

function branchNameProblem(name: string): Problem | undefined {
  if (isWorkerId(name)) return undefined;
  return {
    code: 'BRANCH_NAME_INVALID',
    severity: 'error',
    file: '',
    message: 'branch names of workers must match ^[a-z0-9][a-z0-9.+_-]*$ and be at most 100 characters',
  };
}

function readFailed(ref: BranchRef, error: unknown): BranchRecord {
  return failed(ref, undefined, [{
    code: 'GIT_READ_FAILED',
    severity: 'error',
    file: '',
    message: `the branch tip ${ref.oid} could not be read: ${error instanceof Error ? error.message : String(error)}`,
  }]);
}

function failed(ref: BranchRef, branchFiles: BranchFiles | undefined, problems: Problem[]): BranchRecord {
  return { name: ref.name, oid: ref.oid, commit: branchFiles?.commit, workers: [], problems };
}
