// startGitHttpServer: a real git smart-HTTP server on 127.0.0.1 for tests and benchmarks.
// A small Node HTTP server runs git's own `git http-backend` as a CGI program
// for every request, so clones, fetches and pushes speak the exact protocol
// GitHub speaks. Pushes are enabled; it serves every repository under `root`.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface GitHttpServer {
  /** Base URL, e.g. `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The URL of the repository folder `repoName` under root, e.g. `catalog.git`. */
  urlFor(repoName: string): string;
  /** HTTP requests received so far. */
  readonly requests: number;
  /** The trickle applied to upload-pack answers from now on (see GitHttpServerOptions); undefined: full speed. */
  trickle: Trickle | undefined;
  close(): Promise<void>;
}

export interface GitHttpServerOptions {
  /** Folder holding the served repositories (GIT_PROJECT_ROOT). */
  readonly root: string;
  /** False: drop the Git-Protocol header, so the server speaks only protocol v0/v1 (as old servers do). */
  readonly protocolV2?: boolean;
  /**
   * Off by default. Sends the bodies of upload-pack answers (the packs of
   * clones and fetches) `bytes` at a time every `intervalMs`, so a test can
   * kill a client in the middle of a fetch.
   */
  readonly trickle?: Trickle;
  /** Off by default. Answers 401 with a Basic challenge, as a private GitHub repository does, unless the request carries these credentials. */
  readonly basicAuth?: { readonly username: string; readonly password: string };
}

export interface Trickle {
  readonly bytes: number;
  readonly intervalMs: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const children = new Set<ChildProcess>();
  let requests = 0;
  let trickle = options.trickle;

  const server = createServer((req, res) => {
    requests += 1;
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      res.writeHead(403).end();
      return;
    }
    if (options.basicAuth !== undefined && req.headers.authorization !== basicAuthorization(options.basicAuth)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="test git server"' }).end();
      return;
    }
    if (options.protocolV2 === false) delete req.headers['git-protocol'];
    const slow = req.method === 'POST' && (req.url ?? '').endsWith('/git-upload-pack') ? trickle : undefined;
    const child = runBackend(options.root, req, res, slow);
    children.add(child);
    child.on('close', () => children.delete(child));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('git http server: no TCP address');
  const url = `http://127.0.0.1:${address.port}`;

  return {
    url,
    urlFor: (repoName) => `${url}/${repoName.split('/').map(encodeURIComponent).join('/')}`,
    get requests() {
      return requests;
    },
    get trickle() {
      return trickle;
    },
    set trickle(value) {
      trickle = value;
    },
    async close() {
      for (const child of children) child.kill('SIGKILL');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets from git or isomorphic-git would hold close() open forever.
      server.closeAllConnections();
      await closed;
    },
  };
}

function runBackend(root: string, req: IncomingMessage, res: ServerResponse, trickle?: Trickle): ChildProcess {
  const requestUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    // Anonymous pushes are off by default in http-backend; tests push over HTTP.
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.receivepack',
    GIT_CONFIG_VALUE_0: 'true',
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: decodeURIComponent(requestUrl.pathname),
    QUERY_STRING: requestUrl.search.slice(1),
    REQUEST_METHOD: req.method ?? 'GET',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
  };
  const optional: Array<[string, string | undefined]> = [
    ['CONTENT_TYPE', header('content-type')],
    ['CONTENT_LENGTH', header('content-length')],
    // git clients gzip large request bodies; http-backend inflates them itself.
    ['HTTP_CONTENT_ENCODING', header('content-encoding')],
    // Without it http-backend falls back to protocol v0 even for v2 clients.
    ['GIT_PROTOCOL', header('git-protocol')],
  ];
  for (const [name, value] of optional) if (value !== undefined) env[name] = value;

  const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(child.stdin!);
  child.stdin!.on('error', () => undefined);
  child.stderr!.resume();
  res.on('close', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  const body = trickle === undefined ? { write: (chunk: Buffer) => void res.write(chunk), end: () => void res.end() } : trickled(res, trickle);
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (headersSent) {
      body.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = findHeaderEnd(head);
    if (end === undefined) return;
    writeCgiHeaders(res, head.subarray(0, end.index).toString('latin1'));
    headersSent = true;
    const rest = head.subarray(end.index + end.length);
    if (rest.length > 0) body.write(rest);
  });
  child.on('close', () => {
    if (!headersSent && !res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('git http-backend wrote no headers\n');
    else body.end();
  });
  child.on('error', () => {
    if (!res.headersSent) res.writeHead(500).end();
  });
  return child;
}

/** A response body written `bytes` at a time every `intervalMs`; `end` waits for what is queued. */
function trickled(res: ServerResponse, { bytes, intervalMs }: Trickle): { write(chunk: Buffer): void; end(): void } {
  let queued = Buffer.alloc(0);
  let ending = false;
  const timer = setInterval(() => {
    if (res.destroyed) {
      clearInterval(timer);
      return;
    }
    if (queued.length > 0) {
      res.write(queued.subarray(0, bytes));
      queued = queued.subarray(bytes);
    }
    if (queued.length === 0 && ending) {
      clearInterval(timer);
      res.end();
    }
  }, intervalMs);
  res.on('close', () => clearInterval(timer));
  return {
    write: (chunk) => { queued = Buffer.concat([queued, chunk]); },
    end: () => { ending = true; },
  };
}

function findHeaderEnd(buffer: Buffer): { index: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { index: crlf, length: 4 };
  if (lf !== -1) return { index: lf, length: 2 };
  return undefined;
}

/** CGI headers: `Status: 404 Not Found` sets the status; everything else is passed through. */
function writeCgiHeaders(res: ServerResponse, text: string): void {
  let status = 200;
  let message: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      const match = /^(\d{3})\s*(.*)$/.exec(value);
      if (match) {
        status = Number(match[1]);
        message = match[2] || undefined;
      }
    } else {
      res.appendHeader(name, value);
    }
  }
  res.statusCode = status;
  if (message !== undefined) res.statusMessage = message;
  res.flushHeaders();
}

function basicAuthorization(credentials: { readonly username: string; readonly password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
