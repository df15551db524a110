// savedIndexPath: where the saved index of one repository and clone URL
// lives. The name is keyed by both, so switching CATALOG_REPO or
// CATALOG_GIT_URL never even opens another catalog's saved state (the header
// repeats them, and loading checks them again).

import { createHash } from 'node:crypto';
import path from 'node:path';

export function savedIndexPath(options: { readonly dir: string; readonly repository: string; readonly gitUrl: string }): string {
  const key = createHash('sha256').update(`${options.repository}\n${options.gitUrl}`).digest('hex').slice(0, 16);
  return path.join(options.dir, `index-${key}.bin`);
}
