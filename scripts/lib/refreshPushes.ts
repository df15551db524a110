// Pushes to a served synthetic catalog and waits until the service serves
// them: what `npm run bench:refresh` and `npm run bench` time. A new release
// is committed to one branch of the served repository (exactly what a push
// leaves there; not timed), a signed push delivery is POSTed to
// /webhooks/github (the clock starts), and GET /v1/workers/:id is polled every
// POLL_MS until it names the new commit (the clock stops). The poll interval
// bounds the measurement error.

import { createHmac, randomUUID } from 'node:crypto';
import { commitNewRelease, syntheticWorkerId } from './syntheticCatalog.js';

const POLL_MS = 2;
/** Bounds every wait: a refresh that never shows up fails the run instead of hanging it. */
const PUSH_TIMEOUT_MS = 30_000;

export const REFRESH_POLL_MS = POLL_MS;

export interface PushTarget {
  /** The service, e.g. `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  /** The bare repository the service mirrors (where pushes land). */
  readonly gitdir: string;
  /** The service's WEBHOOK_SECRET. */
  readonly secret: string;
  /** Branches in the synthetic catalog: pushes are spread over all of them. */
  readonly branches: number;
}

/**
 * Push number `push` (0-based, counted over the whole run): a new pkgrel on a
 * branch spread over the catalog (never the same branch twice in a row);
 * resolves with the milliseconds from the webhook to the new commit served.
 */
export async function pushAndWait(target: PushTarget, push: number): Promise<number> {
  const id = syntheticWorkerId((push * 7919) % target.branches);
  const oid = await commitNewRelease(target.gitdir, id, push + 2);
  return announceAndWait(target, id, oid);
}

/** POSTs a signed push delivery for `id`, then polls until `oid` is served; resolves with the milliseconds in between. */
async function announceAndWait(target: PushTarget, id: string, oid: string): Promise<number> {
  const body = JSON.stringify({
    ref: `refs/heads/${id}`,
    before: '0'.repeat(40),
    after: oid,
    created: false,
    deleted: false,
    forced: false,
    repository: { full_name: 'rbee/bench-catalog', default_branch: 'master' },
    commits: [],
  });
  const started = performance.now();
  const answer = await fetch(`${target.baseUrl}/webhooks/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', target.secret).update(body).digest('hex')}`,
    },
    body,
    signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
  });
  if (answer.status !== 202) throw new Error(`webhook answered ${answer.status}: ${await answer.text()}`);
  await answer.arrayBuffer();
  while (performance.now() - started < PUSH_TIMEOUT_MS) {
    const response = await fetch(`${target.baseUrl}/v1/workers/${id}`, { signal: AbortSignal.timeout(PUSH_TIMEOUT_MS) });
    const entry = (await response.json()) as { commit?: { oid?: string } };
    if (entry.commit?.oid === oid) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${id} at ${oid} was not served within ${PUSH_TIMEOUT_MS} ms`);
}

/** The engine's own split of each refresh, from its `catalog refreshed` log lines (LOG_LEVEL=info). */
export function refreshLogLines(output: string): Array<{ syncMs: number; indexMs: number }> {
  const lines: Array<{ syncMs: number; indexMs: number }> = [];
  for (const text of output.split('\n')) {
    if (!text.includes('"catalog refreshed"')) continue;
    const line = JSON.parse(text) as { syncMs: number; indexMs: number };
    lines.push({ syncMs: line.syncMs, indexMs: line.indexMs });
  }
  return lines;
}
