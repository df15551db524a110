// SavedIndexError: why a saved index was not used. Every reason means the
// same thing to the service — delete or ignore the file and index from git —
// but the code says which check caught it, for the log and for tests.

export type SavedIndexProblem =
  /** Not our magic, a header that does not parse, a size that does not add up. */
  | 'SAVED_INDEX_MALFORMED'
  /** A part's sha256 is not the one in the header: a flipped byte or a torn write. */
  | 'SAVED_INDEX_CHECKSUM'
  /** Written by another format or service version: its responses may differ from ours. */
  | 'SAVED_INDEX_VERSION'
  /** Saved for another repository or clone URL. */
  | 'SAVED_INDEX_OTHER_REPOSITORY'
  /** The checksum held, yet the content is not the shape this code saves. */
  | 'SAVED_INDEX_SHAPE';

export class SavedIndexError extends Error {
  readonly code: SavedIndexProblem;

  constructor(code: SavedIndexProblem, message: string) {
    super(message);
    this.name = 'SavedIndexError';
    this.code = code;
  }
}
