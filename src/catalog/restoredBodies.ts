// The bytes a restored record serves — its branch files and its prebuilt
// bodies — as places in the saved file's blob part, each read from the file
// when it is asked for (see SavedBlobPart). Kept as Buffers, a warm restart
// of 10,000 branches held 70,000 views (96 bytes each) plus an object apiece
// to carry them and their ETags, and 40,000 file ETags that are their blob
// oid in quotes: 12 MB of the heap, beside the 80 MB of bytes themselves.

import type { BranchFile } from './branchRecord.js';
import type { CachedBody } from './cachedBody.js';
import type { KeptBytes, SavedBlobPart } from './savedBlobPart.js';

/** Where a file or a body is in a chunk's range of the blob part. */
export interface BlobPlace {
  readonly blobs: SavedBlobPart;
  readonly offset: number;
  readonly length: number;
}

/** Bytes in a chunk's range of the blob part, read when asked for. */
abstract class BlobSlice {
  readonly #blobs: SavedBlobPart;
  readonly #offset: number;
  readonly #length: number;

  constructor(place: BlobPlace) {
    this.#blobs = place.blobs;
    this.#offset = place.offset;
    this.#length = place.length;
  }

  /** Where the bytes are in the saved file. */
  get kept(): KeptBytes {
    return this.#blobs.kept(this.#offset, this.#length);
  }

  protected read(): Buffer {
    return this.#blobs.read(this.#offset, this.#length);
  }
}

/** Where a restored file's or body's bytes are in the saved file; undefined for one held in memory. */
export function keptBytes(value: object): KeptBytes | undefined {
  return value instanceof BlobSlice ? value.kept : undefined;
}

/** A branch file of a worker whose bodies were not saved (it was not served). */
export class RestoredFile extends BlobSlice implements BranchFile {
  readonly oid: string;

  constructor(place: BlobPlace, oid: string) {
    super(place);
    this.oid = oid;
  }

  get bytes(): Buffer {
    return this.read();
  }

  /** The plain file, as a freshly indexed record holds it (see SavedWorkerRecord.toJSON). */
  toJSON(): BranchFile {
    return { bytes: this.bytes, oid: this.oid };
  }
}

/**
 * A served branch file: one object for the record's file and its served
 * body, since both are the same bytes. Its ETag is the blob oid in quotes
 * (as fileBody makes it), unless the saved one says otherwise.
 */
export class RestoredFileBody extends RestoredFile implements CachedBody {
  readonly contentType: string;
  readonly lastModified: Date | undefined;
  readonly #etag: string | undefined;

  constructor(place: BlobPlace, oid: string, served: Pick<CachedBody, 'etag' | 'contentType' | 'lastModified'>) {
    super(place, oid);
    this.contentType = served.contentType;
    this.lastModified = served.lastModified;
    if (!isQuotedOid(served.etag, oid)) this.#etag = served.etag;
  }

  get body(): Buffer {
    return this.bytes;
  }

  get etag(): string {
    return this.#etag ?? `"${this.oid}"`;
  }
}

/** A prebuilt response (legacy entry, v1 entry, clone URL). */
export class RestoredBody extends BlobSlice implements CachedBody {
  readonly etag: string;
  readonly contentType: string;
  readonly lastModified: Date | undefined;

  constructor(place: BlobPlace, served: Pick<CachedBody, 'etag' | 'contentType' | 'lastModified'>) {
    super(place);
    this.etag = served.etag;
    this.contentType = served.contentType;
    this.lastModified = served.lastModified;
  }

  get body(): Buffer {
    return this.read();
  }
}

/** `etag` is `"<oid>"`, compared without building that string. */
function isQuotedOid(etag: string, oid: string): boolean {
  return etag.length === oid.length + 2 && etag.charCodeAt(0) === QUOTE && etag.charCodeAt(etag.length - 1) === QUOTE && etag.startsWith(oid, 1);
}

const QUOTE = 0x22;
