// advertisedGitUrl: the git URL a served worker is advertised with. The
// snapshot keeps it only inside the worker's prebuilt clone answer (the
// snapshot type does not carry the URL apart), so answers built from a
// served worker read it back from there and agree with that answer.

import type { CloneInfo } from './cloneInfo.js';
import type { ServedWorker } from './snapshot.js';

export function advertisedGitUrl(served: ServedWorker): string {
  return (JSON.parse(served.cloneUrl.body.toString('utf8')) as CloneInfo).git_url;
}
