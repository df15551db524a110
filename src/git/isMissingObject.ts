// isMissingObject: true for isomorphic-git's answer when an object is not in
// the repository (a shallow mirror, an interrupted fetch), which history
// readers turn into an incomplete answer instead of a failure.

export function isMissingObject(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'NotFoundError';
}
