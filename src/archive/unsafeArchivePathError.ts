// UnsafeArchivePathError: a tree entry whose name would escape or confuse the
// archive's top folder once extracted (`..`, `.`, empty, `/` or NUL inside a
// name — git itself refuses such trees, a hand-crafted object need not).

export class UnsafeArchivePathError extends Error {
  readonly code = 'SNAPSHOT_UNSAFE_PATH';
  readonly data: { readonly path: string };

  constructor(path: string) {
    super(`the tree entry ${JSON.stringify(path.slice(0, 200))} cannot be archived safely`);
    this.name = 'UnsafeArchivePathError';
    this.data = { path: path.slice(0, 200) };
  }
}
