// A stand-in for GitHub's REST API on loopback: it records every request and
// answers 201 (or what the test scripts). GitHub itself cannot run here, so it
// is faked at the HTTP boundary; the Octokit client under test is real.

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { TestContext } from 'node:test';

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

export interface ScriptedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export interface FakeGithub {
  readonly url: string;
  readonly calls: RecordedCall[];
}

/** `answer(callIndex)` scripts the reply to each request in turn; undefined → 201 with the posted body. */
export async function startFakeGithub(t: TestContext, answer: (index: number) => ScriptedAnswer | undefined = () => undefined): Promise<FakeGithub> {
  const calls: RecordedCall[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      const index = calls.length;
      calls.push({ method: request.method ?? '', path: request.url ?? '', authorization: request.headers.authorization, body });
      const scripted = answer(index) ?? { status: 201, body: { id: index + 1, ...body } };
      response.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
      response.end(JSON.stringify(scripted.body ?? {}));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake GitHub: no address');
  return { url: `http://127.0.0.1:${address.port}`, calls };
}
