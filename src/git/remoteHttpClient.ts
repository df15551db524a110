// remoteHttpClient: the one HTTP client every request to the catalog's remote
// goes through — isomorphic-git's Node client, each request bounded by the
// fetch timeout, and carrying the token (never in a URL) when one is
// configured. Built from plain settings so that a child process (a clone in
// cloneInChildProcess) builds the same client the service does.

import type { HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { httpWithCredentials, type RemoteCredentials } from './httpWithCredentials.js';
import { httpWithTimeout } from './httpWithTimeout.js';

export interface RemoteHttpSettings {
  readonly remoteUrl: string;
  readonly timeoutMs: number;
  readonly credentials?: RemoteCredentials | undefined;
}

export function remoteHttpClient(settings: RemoteHttpSettings): HttpClient {
  const { remoteUrl, timeoutMs, credentials } = settings;
  return httpWithTimeout({
    timeoutMs,
    http: credentials === undefined ? nodeHttp : httpWithCredentials(nodeHttp, { remoteUrl, credentials }),
  });
}
