// exportFilePath: the absolute path of one exported file, refusing anything
// that could land outside the export folder. Worker ids are validated long
// before they get here; this is the last check, applied to every path built.

import path from 'node:path';

export class UnsafeExportPathError extends Error {
  readonly code = 'UNSAFE_EXPORT_PATH';

  constructor(readonly file: string, reason: string) {
    super(`refusing to write ${JSON.stringify(file)}: ${reason}`);
    this.name = 'UnsafeExportPathError';
  }
}

const SEGMENT = /^[A-Za-z0-9._+-]+$/;

/** `file` is relative and `/`-separated; every segment a plain name (no `..`, `.`, empty, `\`, NUL, ':'). */
export function exportFilePath(outDir: string, file: string): string {
  if (file.length === 0 || file.length > 1024) throw new UnsafeExportPathError(file, 'empty or too long');
  if (file.startsWith('/') || path.isAbsolute(file)) throw new UnsafeExportPathError(file, 'an absolute path');
  for (const segment of file.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw new UnsafeExportPathError(file, `the segment ${JSON.stringify(segment)}`);
    if (!SEGMENT.test(segment)) throw new UnsafeExportPathError(file, `the segment ${JSON.stringify(segment)} holds a character other than A-Z a-z 0-9 . _ + -`);
  }
  const root = path.resolve(outDir);
  const target = path.resolve(root, ...file.split('/'));
  // Belt and braces: the resolved path must still be inside the folder.
  if (!target.startsWith(root + path.sep)) throw new UnsafeExportPathError(file, 'outside the export folder');
  return target;
}
