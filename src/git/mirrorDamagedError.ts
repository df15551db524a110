// MirrorDamagedError: the mirror on disk failed checkMirror and could not be
// cloned again, so there is nothing safe to serve from; start-up stops here.

export class MirrorDamagedError extends Error {
  readonly code = 'MIRROR_DAMAGED';
  readonly data: { readonly gitdir: string; readonly damage: string; readonly url: string; readonly cause: string };

  constructor(data: { gitdir: string; damage: string; url: string; cause: string }) {
    super(
      `the catalog mirror ${data.gitdir} is damaged (${data.damage}) and could not be cloned again from ${data.url} (${data.cause}); ` +
      'it is not served: make the remote reachable and restart, or delete the folder to start from a fresh clone',
    );
    this.name = 'MirrorDamagedError';
    this.data = data;
  }
}
