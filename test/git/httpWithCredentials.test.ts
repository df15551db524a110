import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';
import { httpWithCredentials } from '../../src/git/httpWithCredentials.js';

function recording(): { client: HttpClient; seen: GitHttpRequest[] } {
  const seen: GitHttpRequest[] = [];
  return {
    seen,
    client: {
      async request(request: GitHttpRequest): Promise<GitHttpResponse> {
        seen.push(request);
        return { url: request.url, method: request.method, headers: {}, statusCode: 200, statusMessage: 'OK', body: undefined };
      },
    },
  };
}

test('requests to the remote\'s origin carry the token as Basic credentials; others never do', async () => {
  const { client, seen } = recording();
  const http = httpWithCredentials(client, { remoteUrl: 'https://git.example.test/rbee/catalog.git', credentials: { username: 'x-access-token', password: 'tok3n' } });
  await http.request({ url: 'https://git.example.test/rbee/catalog.git/info/refs?service=git-upload-pack', method: 'GET', headers: { 'user-agent': 'git/test' } });
  await http.request({ url: 'https://cdn.example.test/elsewhere', method: 'GET', headers: {} });
  await http.request({ url: 'http://git.example.test/rbee/catalog.git/info/refs', method: 'GET', headers: {} });
  assert.equal(seen[0]?.headers?.authorization, `Basic ${Buffer.from('x-access-token:tok3n').toString('base64')}`);
  assert.equal(seen[0]?.headers?.['user-agent'], 'git/test', 'the request\'s own headers stay');
  assert.equal(seen[1]?.headers?.authorization, undefined, 'another host');
  assert.equal(seen[2]?.headers?.authorization, undefined, 'the same host over plain http is another origin');
  assert.ok(seen.every((request) => !request.url.includes('tok3n')), 'the token is never put in a URL');
});
