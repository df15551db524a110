// withGitdirLock: runs work on one gitdir strictly one at a time within this
// process. isomorphic-git writes refs and packs without locks, so two
// overlapping fetches (or a fetch and a re-clone) into one gitdir corrupt it.

const tails = new Map<string, Promise<void>>();

export async function withGitdirLock<T>(gitdir: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(gitdir) ?? Promise.resolve();
  const run = previous.then(work);
  const tail = run.then(() => undefined, () => undefined);
  tails.set(gitdir, tail);
  try {
    return await run;
  } finally {
    if (tails.get(gitdir) === tail) tails.delete(gitdir);
  }
}
