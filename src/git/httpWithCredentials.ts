// httpWithCredentials: an isomorphic-git HttpClient that authenticates to a
// private remote with a token. The credentials travel as an Authorization
// header on requests to the remote's own origin only — never inside a URL,
// so they reach neither .git/config, the mirror's folder name, nor a log
// line — and every git request (isomorphic-git's clone and fetch, and our
// protocol v2 client, which share this client) carries them, without the
// extra round trip of waiting for a 401 challenge first.

import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';

export interface RemoteCredentials {
  readonly username: string;
  readonly password: string;
}

export function httpWithCredentials(inner: HttpClient, options: { readonly remoteUrl: string; readonly credentials: RemoteCredentials }): HttpClient {
  const origin = new URL(options.remoteUrl).origin;
  const { username, password } = options.credentials;
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return {
    request(request: GitHttpRequest): Promise<GitHttpResponse> {
      // Another origin (a redirect, a mistake) never sees the token.
      if (new URL(request.url).origin !== origin) return inner.request(request);
      return inner.request({ ...request, headers: { ...request.headers, authorization } });
    },
  };
}
