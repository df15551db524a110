// classifyDelivery: decides what a verified GitHub delivery asks of the
// catalog — a refresh request, a ping answer, or nothing (with the reason).
// Pure: the payload is parsed JSON from the network, so every field is
// checked for its type before use and every branch name passes a strict
// check before it becomes a request.

import type { RefreshRequest } from '../refresh/refreshRequest.js';

export type DeliveryClass =
  | { readonly action: RefreshRequest }
  | { readonly ignore: string }
  | { readonly ping: true; readonly zen?: string };

export interface ClassifyOptions {
  /** `owner/name`; when set, payloads about any other repository are ignored. */
  readonly repository?: string | undefined;
  /** The strict check a worker branch name must pass (isWorkerId in the service). */
  readonly isWorkerBranchName: (name: string) => boolean;
}

const HEADS = 'refs/heads/';
const TAGS = 'refs/tags/';
// Git refs are far shorter; a longer value is not a ref worth reading.
const MAX_REF_LENGTH = 1024;

export function classifyDelivery(event: string, payload: unknown, options: ClassifyOptions): DeliveryClass {
  if (!isRecord(payload)) return { ignore: 'payload is not a JSON object' };
  // A ping changes nothing, so it is answered whichever repository (or organisation) sent it.
  if (event === 'ping') {
    const zen = ownString(payload, 'zen');
    return zen === undefined ? { ping: true } : { ping: true, zen: zen.slice(0, 200) };
  }
  if (event !== 'push' && event !== 'delete') {
    return { ignore: event === 'create' ? 'create events are covered by the push GitHub sends with them' : `event '${event}' is not handled` };
  }

  const repository = ownRecord(payload, 'repository');
  if (repository === undefined) return { ignore: 'payload has no repository' };
  if (options.repository !== undefined) {
    const fullName = ownString(repository, 'full_name');
    if (fullName === undefined || fullName.toLowerCase() !== options.repository.toLowerCase()) {
      return { ignore: `repository is not ${options.repository}` };
    }
  }
  // Without the default branch name a push to it would look like a worker branch push.
  const defaultBranch = ownString(repository, 'default_branch');
  if (defaultBranch === undefined || defaultBranch === '') return { ignore: 'payload has no repository.default_branch' };

  return event === 'push' ? classifyPush(payload, defaultBranch, options) : classifyDelete(payload, defaultBranch, options);
}

function classifyPush(payload: Record<string, unknown>, defaultBranch: string, options: ClassifyOptions): DeliveryClass {
  const ref = ownString(payload, 'ref');
  if (ref === undefined || ref.length > MAX_REF_LENGTH) return { ignore: 'push has no valid ref' };
  if (ref.startsWith(TAGS)) return { ignore: 'tag push' };
  if (!ref.startsWith(HEADS)) return { ignore: 'push to a ref outside refs/heads/' };
  const deleted = payload.deleted === true;
  return branchRequest(ref.slice(HEADS.length), deleted ? 'delete' : 'branch', defaultBranch, options);
}

function classifyDelete(payload: Record<string, unknown>, defaultBranch: string, options: ClassifyOptions): DeliveryClass {
  const refType = ownString(payload, 'ref_type');
  if (refType === 'tag') return { ignore: 'tag deleted' };
  if (refType !== 'branch') return { ignore: 'delete event with no valid ref_type' };
  // In delete events `ref` is the bare branch name, not refs/heads/….
  const ref = ownString(payload, 'ref');
  if (ref === undefined || ref.length > MAX_REF_LENGTH) return { ignore: 'delete event has no valid ref' };
  return branchRequest(ref, 'delete', defaultBranch, options);
}

function branchRequest(branch: string, kind: 'branch' | 'delete', defaultBranch: string, options: ClassifyOptions): DeliveryClass {
  // The default branch holds no worker; what it holds is reloaded by a full comparison.
  if (branch === defaultBranch) return { action: { kind: 'full', reason: 'default branch push' } };
  if (!options.isWorkerBranchName(branch)) return { ignore: 'branch name is not a valid worker id' };
  return { action: { kind, branch } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Own properties only: a payload key such as `constructor` must not reach the prototype.
function ownString(record: Record<string, unknown>, key: string): string | undefined {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function ownRecord(record: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return isRecord(value) ? value : undefined;
}
