// indexDump: every served worker's full v1 entry in one gzip file
// (GET /v1/index.json.gz) with its sha256 (GET /v1/index.json.gz.sha256), for
// clients that want the whole catalog at once. The JSON inside is
//
//   {"workers":[…the bytes of each /v1/workers/:id…],"total":n,"snapshot":"<id>","cursor":"<cursor>"}
//
// where `cursor` is the change-log position of exactly this snapshot, so a
// client that loads the dump and then follows /v1/changes?since=<cursor>
// misses nothing. Compressed once per snapshot, asynchronously (zlib's thread
// pool, off the event loop); the gzip bytes are the file itself, not a
// Content-Encoding.

import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { jsonListBody, type CachedBody } from './cachedBody.js';
import { perSnapshot } from './perSnapshot.js';
import type { CatalogSnapshot } from './snapshot.js';

export const INDEX_DUMP_NAME = 'index.json.gz';

export interface IndexDump {
  /** The gzip file; its ETag is taken from its sha256. */
  readonly gz: CachedBody;
  /** `<hex>  index.json.gz\n`, as sha256sum writes it. */
  readonly checksum: CachedBody;
  /** Lowercase hex sha256 of the gzip bytes. */
  readonly sha256: string;
}

const gzipAsync = promisify(gzip);

/** The uncompressed JSON of the dump; its entries are the served v1 bodies, not re-serialised. */
export function indexDumpJson(snapshot: CatalogSnapshot, cursor: string): Buffer {
  const entries = [...snapshot.workers.values()].map((served) => served.v1);
  return jsonListBody('workers', entries, { total: entries.length, snapshot: snapshot.id, cursor }).body;
}

// Per snapshot, by cursor: a snapshot has one cursor in its store, but the
// dump must never pair a snapshot with a cursor that is not its own.
const dumps = perSnapshot((_snapshot: CatalogSnapshot) => new Map<string, Promise<IndexDump>>());

/** The snapshot's dump, compressed on first use and shared by every later request. */
export function indexDump(snapshot: CatalogSnapshot, cursor: string): Promise<IndexDump> {
  const byCursor = dumps(snapshot);
  let dump = byCursor.get(cursor);
  if (dump === undefined) {
    dump = buildDump(snapshot, cursor);
    // A failed compression is retried by the next request rather than remembered.
    dump.catch(() => byCursor.delete(cursor));
    byCursor.set(cursor, dump);
  }
  return dump;
}

async function buildDump(snapshot: CatalogSnapshot, cursor: string): Promise<IndexDump> {
  const body = await gzipAsync(indexDumpJson(snapshot, cursor), { level: 6 });
  const sha256 = createHash('sha256').update(body).digest('hex');
  const checksum = Buffer.from(`${sha256}  ${INDEX_DUMP_NAME}\n`);
  return {
    // No Last-Modified: the file also changes with the cursor (a restart, a removal) while
    // the newest commit time stays, and an If-Modified-Since 304 would then keep a client
    // on a dump whose cursor answers 410 — a loop. The ETag alone validates it.
    gz: { body, etag: `"${sha256.slice(0, 32)}"`, contentType: 'application/gzip' },
    // A different representation of the same fact, so a tag of its own.
    checksum: { body: checksum, etag: `"${sha256.slice(0, 32)}-sha256"`, contentType: 'text/plain; charset=utf-8' },
    sha256,
  };
}
