// Compressed representations of prebuilt bodies. Each body is compressed at
// most once per encoding and kept as long as the body itself lives (for the
// whole-catalog files: once per snapshot), off the event loop, so a 10 MB
// catalog dump never stalls other requests while it is compressed.

import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { CachedBody } from '../catalog/cachedBody.js';

export type ContentEncoding = 'br' | 'gzip';

/** Below this, compression costs more than the bytes it saves. */
export const MIN_COMPRESSED_BYTES = 1024;

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const compressedBodies = new WeakMap<CachedBody, Map<ContentEncoding, Promise<Buffer>>>();

/** Text and JSON shrink; an archive or a .gz file is compressed already, and compressing it again only costs CPU. */
export function isCompressible(contentType: string): boolean {
  return /^(?:text\/|application\/(?:json|[a-z.+-]*\+json|xml|javascript)\b)/.test(contentType);
}

/** The best encoding the client accepts (RFC 9110 §12.5.3), brotli first; undefined means identity. */
export function chooseEncoding(acceptEncoding: string | undefined): ContentEncoding | undefined {
  if (acceptEncoding === undefined) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const wildcard = accepted.get('*') ?? 0;
  const quality = (name: ContentEncoding): number => accepted.get(name) ?? wildcard;
  if (quality('br') > 0 && quality('br') >= quality('gzip')) return 'br';
  if (quality('gzip') > 0) return 'gzip';
  return undefined;
}

/** The body compressed with `encoding`, computed once per body. */
export function compressedBody(cached: CachedBody, encoding: ContentEncoding): Promise<Buffer> {
  let variants = compressedBodies.get(cached);
  if (variants === undefined) {
    variants = new Map();
    compressedBodies.set(cached, variants);
  }
  let compressed = variants.get(encoding);
  if (compressed === undefined) {
    // Read once: a restored body is read from the saved file each time it is asked for.
    const { body } = cached;
    compressed = encoding === 'br'
      // Quality 5 compresses within a few percent of 11 at a tenth of its cost.
      ? brotliAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } })
      : gzipAsync(body, { level: 6 });
    variants.set(encoding, compressed);
  }
  return compressed;
}

/** A strong validator names one representation, so each encoding gets its own tag. */
export function encodedEtag(etag: string, encoding: ContentEncoding | undefined): string {
  return encoding === undefined ? etag : `${etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`;
}

/** The identity representation's tag behind an encoded one. */
export function identityEtag(etag: string): string {
  // What encodedEtag appends, taken off again: `"…-br"` or `"…-gz"` → `"…"`.
  return etag.endsWith('-br"') || etag.endsWith('-gz"') ? `${etag.slice(0, -4)}"` : etag;
}
