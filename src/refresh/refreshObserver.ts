// RefreshObserver: what the refresh engine tells about each refresh, for
// whoever watches it (the metrics). Told synchronously; it must not throw.

export interface RefreshObserver {
  /** A refresh swapped in a new snapshot: how long the fetch and the index took. */
  refreshed(outcome: { readonly kind: 'full' | 'branches'; readonly fetchSeconds: number; readonly indexSeconds: number }): void;
  /** A refresh failed while fetching (git) or while building the snapshot. */
  failed(outcome: { readonly stage: 'fetch' | 'index' }): void;
}
