// isRemoteUrl: whether a catalog source names an http(s) remote (mirrored)
// rather than a local repository path (read in place).

export function isRemoteUrl(source: string): boolean {
  if (!/^https?:\/\//i.test(source)) return false;
  try {
    return new URL(source).hostname !== '';
  } catch {
    return false;
  }
}
