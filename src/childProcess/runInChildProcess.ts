// runInChildProcess: forks one of this service's modules as a child process,
// sends it one request over the IPC channel, and resolves with the one answer
// it sends back (answerParent is the child's side). Why a process: work that
// allocates a great deal at once and then drops it (indexing every branch,
// cloning every pack) leaves the memory it freed resident as fragmented glibc
// heap that neither V8's collections nor trimming gives back. A process hands
// all of it back when it exits. Requests and answers go by structured clone
// (advanced serialization): plain data, Maps and Buffers included. A child
// starts with the environment childEnvironment allows, no secrets in it.
//
// Under tsx (tests, `npm start`) the child runs the .ts module through tsx's
// loader; compiled, the .js beside the caller.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnvironment } from './childEnvironment.js';

export type ChildAnswer<Result> = { readonly ok: true; readonly result: Result } | { readonly ok: false; readonly error: string };

/**
 * `answered`: the child ran and its work failed, `reason` being its error's
 * message. Otherwise the child could not start or died without an answer,
 * as `reason` says.
 */
export class ChildProcessError extends Error {
  constructor(role: string, readonly answered: boolean, readonly reason: string) {
    super(answered ? `the ${role} child process failed: ${reason}` : `the ${role} child process ${reason}`);
    this.name = 'ChildProcessError';
  }
}

export interface ChildModule {
  /** import.meta.url of a module in the child module's folder. */
  readonly beside: string;
  /** The child module's file name without its extension. */
  readonly name: string;
  /** What the child does, for messages: "the indexing child process failed: …". */
  readonly role: string;
}

export function runInChildProcess<Request extends object, Result>(module: ChildModule, request: Request): Promise<Result> {
  const { entry, execArgv } = childEntry(module);
  return new Promise((resolve, reject) => {
    // stdout and stderr are the service's: an uncaught error in the child is seen where the service logs.
    const child = fork(entry, [], { execArgv, env: childEnvironment(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    let answer: ChildAnswer<Result> | undefined;
    child.on('message', (message: ChildAnswer<Result>) => {
      answer ??= message;
    });
    child.once('error', (error) => reject(new ChildProcessError(module.role, false, `could not run: ${error.message}`)));
    child.once('exit', (code, signal) => {
      if (answer?.ok === true) resolve(answer.result);
      else if (answer?.ok === false) reject(new ChildProcessError(module.role, true, answer.error));
      else reject(new ChildProcessError(module.role, false, `exited without an answer (${signal ?? `code ${code}`})`));
    });
    child.send(request);
  });
}

function childEntry(module: ChildModule): { entry: string; execArgv: string[] } {
  if (!module.beside.endsWith('.ts')) return { entry: fileURLToPath(new URL(`./${module.name}.js`, module.beside)), execArgv: [] };
  // A child does not inherit tsx's loader unless told to; the parent's own flags (a test runner's) are not its business.
  return { entry: fileURLToPath(new URL(`./${module.name}.ts`, module.beside)), execArgv: ['--import', import.meta.resolve('tsx')] };
}
