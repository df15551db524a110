// mirrorDirectoryName: the folder name of a remote's mirror inside the cache
// folder. It is derived from a hash of the credential-free URL, so no part of
// a configured URL ever becomes a path, and rotating a token keeps the mirror.

import { createHash } from 'node:crypto';
import { redactUrl } from './redactUrl.js';

export function mirrorDirectoryName(url: string): string {
  const digest = createHash('sha256').update(redactUrl(url)).digest('hex');
  return `mirror-${digest.slice(0, 16)}.git`;
}
