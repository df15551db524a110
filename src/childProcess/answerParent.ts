// answerParent: the child's side of runInChildProcess. Takes the one request
// the parent sends, runs `work` on it, sends the answer and exits (0 once the
// work is done, 1 when it failed). It exits as well when the parent goes
// away (the IPC channel closes): a service stopped mid-work leaves no child
// behind.

import type { ChildAnswer } from './runInChildProcess.js';

export function answerParent<Request, Result>(work: (request: Request) => Promise<Result>): void {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('this module runs as a child process with an IPC channel only (runInChildProcess)');
  const answer = (message: ChildAnswer<Result>, code: number): void => {
    send(message, undefined, {}, () => process.exit(code));
  };
  process.once('disconnect', () => process.exit(1));
  process.once('message', (request: Request) => {
    work(request).then(
      (result) => answer({ ok: true, result }, 0),
      (error: unknown) => answer({ ok: false, error: error instanceof Error ? error.message : String(error) }, 1),
    );
  });
}
