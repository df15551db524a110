// The git layer's errors: each a class with a stable `code` (what tests and
// callers branch on) and structured `data`. URLs in them are always redacted.

export class NotARepositoryError extends Error {
  readonly code = 'NOT_A_REPOSITORY';
  readonly data: { readonly path: string };

  constructor(path: string) {
    super(`${path} is not a git repository: expected a bare repository (HEAD, objects/, refs/) or a work tree with a .git folder`);
    this.name = 'NotARepositoryError';
    this.data = { path };
  }
}

export class UnsupportedSourceError extends Error {
  readonly code = 'UNSUPPORTED_SOURCE';
  readonly data: { readonly source: string };

  constructor(source: string) {
    super(`${source} is not supported: give an http:// or https:// URL or a local repository path (isomorphic-git speaks only smart HTTP)`);
    this.name = 'UnsupportedSourceError';
    this.data = { source };
  }
}

export class MirrorCloneError extends Error {
  readonly code = 'MIRROR_CLONE_FAILED';
  readonly data: { readonly url: string; readonly cause: string };

  constructor(url: string, cause: unknown) {
    super(`could not clone ${url}: ${describe(cause)}; check that the URL is reachable and serves a git repository whose HEAD names an existing branch`, { cause });
    this.name = 'MirrorCloneError';
    this.data = { url, cause: describe(cause) };
  }
}

export class MirrorFetchError extends Error {
  readonly code = 'MIRROR_FETCH_FAILED';
  readonly data: { readonly url: string; readonly gitdir: string; readonly cause: string };

  constructor(options: { url: string; gitdir: string; cause: unknown }) {
    super(`could not fetch ${options.url} into ${options.gitdir}: ${describe(options.cause)}`, { cause: options.cause });
    this.name = 'MirrorFetchError';
    this.data = { url: options.url, gitdir: options.gitdir, cause: describe(options.cause) };
  }
}

/** The remote's HEAD is missing or names no branch: fetching it would corrupt the mirror (isomorphic-git). */
export class RemoteHeadUnresolvedError extends Error {
  readonly code = 'REMOTE_HEAD_UNRESOLVED';
  readonly data: { readonly url: string; readonly target: string | undefined };

  constructor(url: string, target: string | undefined) {
    super(`the HEAD of ${url} does not resolve to a branch${target === undefined ? '' : ` (it names ${target})`}; point it at an existing branch, e.g. git symbolic-ref HEAD refs/heads/master`);
    this.name = 'RemoteHeadUnresolvedError';
    this.data = { url, target };
  }
}

export class GitHttpTimeoutError extends Error {
  readonly code = 'GIT_HTTP_TIMEOUT';
  readonly data: { readonly url: string; readonly timeoutMs: number };

  constructor(url: string, timeoutMs: number) {
    super(`git HTTP request to ${url} did not finish within ${timeoutMs} ms`);
    this.name = 'GitHttpTimeoutError';
    this.data = { url, timeoutMs };
  }
}

export class InvalidBranchNameError extends Error {
  readonly code = 'INVALID_BRANCH_NAME';
  readonly data: { readonly name: string };

  constructor(name: string) {
    super(`${JSON.stringify(name)} cannot be a branch name: use [A-Za-z0-9][A-Za-z0-9._+-]*, without '..' and not ending in '.lock'`);
    this.name = 'InvalidBranchNameError';
    this.data = { name };
  }
}

export class DefaultBranchMissingError extends Error {
  readonly code = 'DEFAULT_BRANCH_MISSING';
  readonly data: { readonly defaultBranch: string; readonly sourceDir: string };

  constructor(defaultBranch: string, sourceDir: string) {
    super(`${sourceDir} has no folder named ${defaultBranch}: HEAD must point at an existing branch, so add that folder or pass another default branch`);
    this.name = 'DefaultBranchMissingError';
    this.data = { defaultBranch, sourceDir };
  }
}

/** The target of an atomic replace exists and is neither a git repository nor empty. */
export class RefusingToReplaceError extends Error {
  readonly code = 'REFUSING_TO_REPLACE';
  readonly data: { readonly path: string };

  constructor(path: string) {
    super(`${path} exists and is not a git repository or an empty folder; refusing to replace it — remove it or choose another path`);
    this.name = 'RefusingToReplaceError';
    this.data = { path };
  }
}

/** A cause as one line of text, with any `user:password@` in URLs removed (isomorphic-git messages quote URLs). */
function describe(cause: unknown): string {
  let text = String(cause);
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    text = typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return text.replace(/\/\/[^/@\s]*@/g, '//');
}

/** The remote answered the git protocol with something we refuse to read. */
export class GitProtocolError extends Error {
  readonly code = 'GIT_PROTOCOL_ERROR';
  readonly data: { readonly url: string; readonly detail: string };

  constructor(url: string, detail: string) {
    super(`git protocol error from ${url}: ${detail}`);
    this.name = 'GitProtocolError';
    this.data = { url, detail };
  }
}

export class InvalidPackError extends Error {
  readonly code = 'INVALID_PACK';
  readonly data: { readonly detail: string };

  constructor(detail: string) {
    super(`received an invalid pack: ${detail}`);
    this.name = 'InvalidPackError';
    this.data = { detail };
  }
}

/** Packs that cannot be merged by copying (one object in two packs, a mismatched index); the caller re-packs. */
export class PackMergeError extends Error {
  readonly code = 'PACK_MERGE_FAILED';
  readonly data: { readonly detail: string };

  constructor(detail: string) {
    super(`cannot merge packs: ${detail}`);
    this.name = 'PackMergeError';
    this.data = { detail };
  }
}
