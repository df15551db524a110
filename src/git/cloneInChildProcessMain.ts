// cloneInChildProcessMain: the body of the child process cloneInChildProcess
// forks. Sent one ChildCloneRequest, it clones into the folder it names,
// answers with its peak memory, and exits (answerParent).

import { answerParent } from '../childProcess/answerParent.js';
import type { ChildCloneRequest, ChildCloneResult } from './cloneInChildProcess.js';
import { defaultGitFs } from './gitFs.js';
import { remoteHttpClient } from './remoteHttpClient.js';
import { writeMirrorClone } from './writeMirrorClone.js';

answerParent(async (request: ChildCloneRequest): Promise<ChildCloneResult> => {
  const { url, dir, defaultBranch } = request;
  await writeMirrorClone({ url, dir, defaultBranch, fs: defaultGitFs, http: remoteHttpClient(request.http) });
  return { peakRssBytes: process.resourceUsage().maxRSS * 1024 };
});
