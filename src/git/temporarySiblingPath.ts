// temporarySiblingPath: a fresh path next to `target` (same folder, so same
// file system, so a later rename onto `target` is atomic).

import { randomBytes } from 'node:crypto';
import path from 'node:path';

export function temporarySiblingPath(target: string, label: string): string {
  const base = path.basename(target);
  return path.join(path.dirname(target), `.${base}.${label}-${process.pid}-${randomBytes(4).toString('hex')}`);
}
