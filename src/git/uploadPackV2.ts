// A git protocol v2 client for the two commands a push webhook needs:
// `ls-refs` for one branch and `fetch` of its new commits. isomorphic-git's
// fetch speaks protocol v1, whose every request starts with an advertisement
// of ALL refs — 10,000 branches cost ~1 MB and its parsing on every push.
// v2 lets us ask about one ref and receive one pack: the cost follows the
// change, not the catalog. Everything read here comes from the network and
// is treated as hostile: sizes are capped and framing is checked.

import type { HttpClient } from 'isomorphic-git';
import { GitProtocolError } from './errors.js';
import { encodePackets, PacketReader, packetText, type PacketSpec } from './pktLine.js';
import { redactUrl } from './redactUrl.js';

export interface UploadPackOptions {
  readonly http: HttpClient;
  /** The repository URL; credentials in it become a Basic Authorization header. */
  readonly url: string;
}

const AGENT = 'agent=rbee-worker-catalog';
/** A ref listing for a handful of prefixes is tiny; a pack of one worker branch is small. */
const MAX_LS_REFS_BYTES = 1024 * 1024;
export const MAX_PACK_BYTES = 128 * 1024 * 1024;
const OID = /^[0-9a-f]{40}$/;

/** Whether the server speaks protocol v2 with `ls-refs` and `fetch` (one small GET). */
export async function supportsProtocolV2(options: UploadPackOptions): Promise<boolean> {
  const { url, headers } = splitCredentials(options.url);
  const response = await options.http.request({
    url: `${url}/info/refs?service=git-upload-pack`,
    method: 'GET',
    headers: { ...headers, 'git-protocol': 'version=2', 'user-agent': 'git/rbee-worker-catalog' },
  });
  const body = await collect(response.body, MAX_LS_REFS_BYTES, options.url);
  if (response.statusCode !== 200) return false;
  const lines = readTextPackets(body, options.url).filter((line): line is string => line !== undefined);
  if (!lines.includes('version 2')) return false;
  const commands = new Set(lines.map((line) => line.split('=')[0]));
  return commands.has('ls-refs') && commands.has('fetch');
}

/** Refs whose names start with one of `prefixes`, with their oids. */
export async function lsRefsV2(options: UploadPackOptions & { readonly prefixes: readonly string[] }): Promise<Map<string, string>> {
  const request: PacketSpec[] = ['command=ls-refs\n', `${AGENT}\n`, 'DELIM', ...options.prefixes.map((prefix) => `ref-prefix ${prefix}\n`), 'FLUSH'];
  const body = await postUploadPack(options, encodePackets(request), MAX_LS_REFS_BYTES);
  const refs = new Map<string, string>();
  for (const line of readTextPackets(body, options.url)) {
    if (line === undefined) break;
    const [oid, name] = line.split(' ');
    if (oid === undefined || name === undefined || !OID.test(oid)) throw new GitProtocolError(redactUrl(options.url), `unexpected ls-refs line ${JSON.stringify(line.slice(0, 100))}`);
    refs.set(name, oid);
  }
  return refs;
}

/**
 * The pack holding `want` and what it needs beyond `haves`. No thin packs
 * (every delta base is inside the pack or already ours), no progress.
 * Resolves with the raw pack bytes; an empty pack when we had everything.
 */
export async function fetchPackV2(options: UploadPackOptions & { readonly want: string; readonly haves: readonly string[] }): Promise<Buffer> {
  for (const oid of [options.want, ...options.haves]) if (!OID.test(oid)) throw new TypeError(`fetchPackV2: ${JSON.stringify(oid)} is not an object id`);
  const request: PacketSpec[] = [
    'command=fetch\n', `${AGENT}\n`, 'DELIM',
    'ofs-delta\n', 'no-progress\n',
    `want ${options.want}\n`,
    ...options.haves.map((oid) => `have ${oid}\n`),
    'done\n', 'FLUSH',
  ];
  const body = await postUploadPack(options, encodePackets(request), MAX_PACK_BYTES);
  return readPackfileSection(body, options.url);
}

/** With `done` sent the server skips acknowledgments: sections until `packfile`, then side-band data. */
function readPackfileSection(body: Buffer, url: string): Buffer {
  const reader = new PacketReader(body);
  const fail = (detail: string): never => {
    throw new GitProtocolError(redactUrl(url), detail);
  };
  let inPackfile = false;
  const pack: Buffer[] = [];
  while (!reader.done) {
    let packet;
    try {
      packet = reader.next();
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
    if (packet.kind === 'flush' || packet.kind === 'end') break;
    if (packet.kind === 'delim') continue;
    if (!inPackfile) {
      const line = packetText(packet.payload);
      if (line.startsWith('ERR ')) fail(`the server refused the fetch: ${line.slice(4, 300)}`);
      if (line === 'packfile') inPackfile = true;
      // Other sections (shallow-info, wanted-refs) are not asked for; their lines are skipped.
      continue;
    }
    const band = packet.payload[0];
    if (band === 1) pack.push(packet.payload.subarray(1));
    else if (band === 3) fail(`the server aborted the fetch: ${packet.payload.subarray(1, 300).toString('utf8').trim()}`);
    else if (band !== 2) fail(`unknown side-band ${String(band)}`);
  }
  if (!inPackfile) fail('the answer holds no packfile section');
  return Buffer.concat(pack);
}

async function postUploadPack(options: UploadPackOptions, body: Buffer, maxBytes: number): Promise<Buffer> {
  const { url, headers } = splitCredentials(options.url);
  const response = await options.http.request({
    url: `${url}/git-upload-pack`,
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/x-git-upload-pack-request',
      accept: 'application/x-git-upload-pack-result',
      'git-protocol': 'version=2',
      'user-agent': 'git/rbee-worker-catalog',
    },
    body: [body] as unknown as AsyncIterableIterator<Uint8Array>,
  });
  const answer = await collect(response.body, maxBytes, options.url);
  if (response.statusCode !== 200) {
    throw new GitProtocolError(redactUrl(options.url), `git-upload-pack answered HTTP ${response.statusCode} ${response.statusMessage}`);
  }
  return answer;
}

/** Every data packet's text up to the first flush (undefined marks it), for short textual answers. */
function readTextPackets(body: Buffer, url: string): Array<string | undefined> {
  const reader = new PacketReader(body);
  const lines: Array<string | undefined> = [];
  try {
    while (!reader.done) {
      const packet = reader.next();
      lines.push(packet.kind === 'data' ? packetText(packet.payload) : undefined);
    }
  } catch (error) {
    throw new GitProtocolError(redactUrl(url), error instanceof Error ? error.message : String(error));
  }
  return lines;
}

async function collect(body: AsyncIterableIterator<Uint8Array> | undefined, maxBytes: number, url: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (body === undefined) return Buffer.alloc(0);
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new GitProtocolError(redactUrl(url), `the answer exceeds ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks);
}

/** isomorphic-git's rule: user:password in the URL becomes Basic auth, and the URL goes out without it. */
function splitCredentials(url: string): { url: string; headers: Record<string, string> } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { url: url.replace(/\/+$/, ''), headers: {} };
  const userinfo = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  const bare = url.replace(/^(https?:\/\/)[^@/]*@/i, '$1').replace(/\/+$/, '');
  return { url: bare, headers: { authorization: `Basic ${Buffer.from(userinfo).toString('base64')}` } };
}
