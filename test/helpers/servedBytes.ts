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
