// What a snapshot serves and what its records hold, as plain comparable
// values: for tests that check two snapshots made different ways (indexed,
// restored from a saved index, read back after a save) are the same.

import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';

/** Every byte a client can be sent, with its validators, by name. */
export function servedBytes(snapshot: CatalogSnapshot): Map<string, string> {
  const out = new Map<string, string>();
  const put = (name: string, body: { body: Buffer; etag: string; contentType: string; lastModified?: Date | undefined }) => {
    out.set(name, `${body.etag} ${body.contentType} ${body.lastModified?.toISOString() ?? '-'} ${body.body.toString('base64')}`);
  };
  put('legacyList', snapshot.legacyList);
  put('v1List', snapshot.v1List);
  put('problems', snapshot.problems);
  for (const [id, served] of snapshot.workers) {
    put(`${id} legacy`, served.legacy);
    put(`${id} v1`, served.v1);
    put(`${id} cloneUrl`, served.cloneUrl);
    for (const [name, body] of served.files) put(`${id} ${name}`, body);
  }
  return out;
}

/** A record as plain data (getters read, bytes as base64, Maps as entries), to compare with a freshly indexed one. */
export function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, function (this: Record<string, unknown>, key: string, item: unknown) {
    // The value before toJSON: a Buffer and a Uint8Array of the same bytes are the same file.
    const raw = this[key];
    if (raw instanceof Map) return { map: [...raw] };
    if (raw instanceof Uint8Array) return { bytes: Buffer.from(raw).toString('base64') };
    return item;
  }));
}
