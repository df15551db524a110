// refresh: one-branch refreshes on the running service, from a branch tip
// moving in the served repository to the new version served
// (scripts/lib/refreshPushes.ts, as `npm run bench:refresh` measures them),
// after a few untimed warm-up pushes.

import { pushAndWait, type PushTarget } from '../lib/refreshPushes.js';

export interface RefreshResult {
  readonly latenciesMs: readonly number[];
  /** The push counter after this measurement (pushes are numbered over the whole run). */
  readonly nextPush: number;
}

export async function measureRefresh(options: { target: PushTarget; pushes: number; warmup: number; firstPush: number }): Promise<RefreshResult> {
  const latenciesMs: number[] = [];
  let push = options.firstPush;
  for (let done = 0; done < options.warmup + options.pushes; done += 1, push += 1) {
    const latency = await pushAndWait(options.target, push);
    if (done >= options.warmup) latenciesMs.push(latency);
  }
  return { latenciesMs, nextPush: push };
}
