// RefreshRequest: what a webhook delivery (or the reconcile loop) asks the
// refresh engine to do. Requests are queued and coalesced, never run inline:
// the webhook answers before any git work starts.

export type RefreshRequest =
  /** Fetch one branch and re-index it (push, create, forced push). */
  | { readonly kind: 'branch'; readonly branch: string; readonly deliveryId?: string }
  /** The branch is gone (push with deleted: true, or a delete event). */
  | { readonly kind: 'delete'; readonly branch: string; readonly deliveryId?: string }
  /** Compare every ref with the remote and fetch what differs (default-branch push, reconcile). */
  | { readonly kind: 'full'; readonly reason: string; readonly deliveryId?: string };

export interface RefreshRequester {
  /** Queues a request; never throws and never waits for git. */
  request(request: RefreshRequest): void;
}
