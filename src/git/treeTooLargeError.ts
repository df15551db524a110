// TreeTooLargeError: a commit's tree holds more entries, bytes or depth than
// we agree to read whole (a hostile branch must not make us read without end).

export class TreeTooLargeError extends Error {
  readonly code = 'TREE_TOO_LARGE';
  readonly data: { readonly commitOid: string; readonly limit: 'entries' | 'bytes' | 'depth'; readonly max: number };

  constructor(data: { commitOid: string; limit: 'entries' | 'bytes' | 'depth'; max: number }) {
    super(`the tree of commit ${data.commitOid} exceeds the limit of ${data.max} ${data.limit}`);
    this.name = 'TreeTooLargeError';
    this.data = data;
  }
}
