// writeFolderTree: writes a small tree of files from a plain object, so a test
// shows the exact branch folders it turns into a repository; buildSmallCatalog
// makes the shared small one into a bare repository.

import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRepositoryFromFolders } from '../../src/git/createRepositoryFromFolders.js';

export type FolderTree = Readonly<Record<string, string | { readonly content: string; readonly mode: number }>>;

/** Keys are `/`-separated paths relative to `root`; values are contents (or contents and mode). */
export async function writeFolderTree(root: string, tree: FolderTree): Promise<void> {
  for (const [relative, value] of Object.entries(tree)) {
    const file = path.join(root, ...relative.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    const content = typeof value === 'string' ? value : value.content;
    await writeFile(file, content);
    if (typeof value !== 'string') await chmod(file, value.mode);
  }
}

/** A small catalog: a default branch and two worker branches, one with a patch and an executable script. */
export const SMALL_CATALOG: FolderTree = {
  'README.md': 'not a branch: a file beside the branch folders\n',
  'master/README.md': '# rbee worker catalog\n',
  'llm-worker-rbee-cpu/PKGBUILD': 'pkgname=llm-worker-rbee-cpu\npkgver=0.1.0\npkgrel=1\narch=(x86_64)\n',
  'llm-worker-rbee-cpu/.SRCINFO': 'pkgbase = llm-worker-rbee-cpu\n\tpkgver = 0.1.0\n\tpkgrel = 1\n\tarch = x86_64\n\npkgname = llm-worker-rbee-cpu\n',
  'llm-worker-rbee-cpu/metadata.json': '{"name":"LLM worker (CPU)"}\n',
  'llm-worker-rbee-cpu/patches/fix-build.patch': '--- a\n+++ b\n',
  'llm-worker-rbee-cpu/build.sh': { content: '#!/bin/sh\necho build\n', mode: 0o755 },
  'sd-worker-rbee-cuda/PKGBUILD': 'pkgname=sd-worker-rbee-cuda\npkgver=0.2.0\npkgrel=3\narch=(x86_64)\n',
  'sd-worker-rbee-cuda/metadata.json': '{"name":"SD worker (CUDA)"}\n',
};

/** Writes SMALL_CATALOG under `root`/folders and builds it into the bare repository `root`/catalog.git. */
export async function buildSmallCatalog(root: string): Promise<{ sourceDir: string; gitdir: string }> {
  const sourceDir = path.join(root, 'folders');
  await writeFolderTree(sourceDir, SMALL_CATALOG);
  const gitdir = path.join(root, 'catalog.git');
  await createRepositoryFromFolders({ sourceDir, gitdir });
  return { sourceDir, gitdir };
}
