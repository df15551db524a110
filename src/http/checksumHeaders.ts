// checksumHeaders: the sha256 of a file sent as it is (a snapshot tarball,
// the index dump), in the two headers clients check downloads with:
// X-Checksum-Sha256 (hex, what sha256sum prints) and Repr-Digest (RFC 9530).
// Both name the representation itself, so they are right on a 304 too.

export function checksumHeaders(sha256: Buffer): Record<string, string> {
  return {
    'x-checksum-sha256': sha256.toString('hex'),
    'repr-digest': `sha-256=:${sha256.toString('base64')}:`,
  };
}
