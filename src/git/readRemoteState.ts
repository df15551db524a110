// readRemoteState: a remote's branches and default branch in one round trip,
// checked before any clone or fetch. isomorphic-git writes the fetched refs
// and only then fails when the remote's HEAD does not resolve, leaving refs
// that point at objects it never downloaded; refusing such a remote up front
// is what keeps the mirror intact.

import { listServerRefs, type HttpClient } from 'isomorphic-git';
import { RemoteHeadUnresolvedError } from './errors.js';
import { redactUrl } from './redactUrl.js';

export interface RemoteState {
  /** The branch the remote's HEAD names, e.g. `master`. */
  readonly defaultBranch: string;
  /** Branch name → tip oid. */
  readonly branches: ReadonlyMap<string, string>;
}

export interface ReadRemoteStateOptions {
  readonly http: HttpClient;
  readonly url: string;
}

const HEADS = 'refs/heads/';

export async function readRemoteState(options: ReadRemoteStateOptions): Promise<RemoteState> {
  // Protocol v1: the same ref advertisement isomorphic-git's fetch reads next.
  const refs = await listServerRefs({ http: options.http, url: options.url, protocolVersion: 1, symrefs: true });
  const branches = new Map<string, string>();
  for (const ref of refs) if (ref.ref.startsWith(HEADS)) branches.set(ref.ref.slice(HEADS.length), ref.oid);

  const head = refs.find((ref) => ref.ref === 'HEAD');
  let target = head?.target;
  if (head !== undefined && target === undefined) {
    // Servers without the symref capability: guess as git does, by the first branch at HEAD's commit.
    const same = [...branches].find(([, oid]) => oid === head.oid);
    if (same !== undefined) target = `${HEADS}${same[0]}`;
  }
  const defaultBranch = target?.startsWith(HEADS) === true ? target.slice(HEADS.length) : undefined;
  if (head === undefined || defaultBranch === undefined || !branches.has(defaultBranch)) {
    throw new RemoteHeadUnresolvedError(redactUrl(options.url), target);
  }
  return { defaultBranch, branches };
}
