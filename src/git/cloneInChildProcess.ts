// cloneInChildProcess: writeMirrorClone run in a child process
// (runInChildProcess), which builds its own HTTP client from the same
// settings as the service's (remoteHttpClient). Why a process: isomorphic-git
// holds the whole pack of a first clone in memory while it indexes it, and
// what that frees stays resident in the service as fragmented glibc heap.
// Measured at 10,000 branches (the built service, the image's malloc
// settings): straight after the clone and a full collection the service's
// RSS was 304 MB while V8 held 25 MB of heap and 26 MB of buffers; with the
// clone in a child, 122 MB. The child writes only the temporary folder
// cloneMirror gives it, which cloneMirror renames into place as it does a
// clone made here.

import { runInChildProcess } from '../childProcess/runInChildProcess.js';
import type { RemoteHttpSettings } from './remoteHttpClient.js';

/**
 * From this many remote branches a first clone runs in a child process, as
 * the first index does (CHILD_PROCESS_FROM_BRANCHES). Below it what the clone
 * leaves is small, and starting a child would be much of the clone's time.
 */
export const CLONE_IN_CHILD_FROM_BRANCHES = 1000;

export interface ChildCloneRequest {
  /** The remote, credentials included if it needs them (the IPC channel is a private pipe). */
  readonly url: string;
  readonly dir: string;
  readonly defaultBranch: string;
  readonly http: RemoteHttpSettings;
}

export interface ChildCloneResult {
  /** The child's peak resident set (its maxRSS): memory the service itself never holds. */
  readonly peakRssBytes: number;
}

/** Rejects with ChildProcessError when the clone fails (`answered`) or the child dies. */
export function cloneInChildProcess(request: ChildCloneRequest): Promise<ChildCloneResult> {
  return runInChildProcess({ beside: import.meta.url, name: 'cloneInChildProcessMain', role: 'cloning' }, request);
}
