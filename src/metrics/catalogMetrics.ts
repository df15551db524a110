// CatalogMetrics: what an operator watches, as Prometheus metrics in one
// registry per service: requests by route and status with their latency,
// workers served and branches rejected, index builds and refreshes, webhook
// deliveries by event and outcome, git fetches and their failures, the time
// since the last successful refresh, and Node's default process metrics.
// Label values are bounded: routes are route patterns, events and outcomes
// come from fixed lists, so a hostile client cannot grow the registry.

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CatalogSnapshot } from '../catalog/snapshot.js';
import type { RefreshObserver } from '../refresh/refreshObserver.js';
import { RequestSeries } from './requestSeries.js';

export type IndexKind = 'start' | 'full' | 'branches';

export interface CatalogMetricsOptions {
  /** The snapshot served now; read at each scrape. */
  readonly current: () => CatalogSnapshot | undefined;
  /** When the last refresh (or the first index) succeeded; read at each scrape. */
  readonly lastSuccess: () => Date | undefined;
  readonly now?: () => Date;
  /** Node's process metrics (CPU, memory, event loop lag, GC); on by default. */
  readonly processMetrics?: boolean;
}

const SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const INDEX_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export class CatalogMetrics implements RefreshObserver {
  readonly registry = new Registry();
  readonly #requests: RequestSeries;
  readonly #indexSeconds: Histogram<'kind'>;
  readonly #fetchSeconds: Histogram<'kind'>;
  readonly #refreshFailures: Counter<'stage'>;
  readonly #deliveries: Counter<'event' | 'outcome'>;

  constructor(options: CatalogMetricsOptions) {
    const registers = [this.registry];
    const now = options.now ?? (() => new Date());
    this.#requests = new RequestSeries({ registry: this.registry, buckets: SECONDS_BUCKETS });
    this.#indexSeconds = new Histogram({ name: 'catalog_index_duration_seconds', help: 'Time to build a snapshot: start (first index), full (every branch compared), branches (a push)', labelNames: ['kind'], buckets: INDEX_BUCKETS, registers });
    this.#fetchSeconds = new Histogram({ name: 'catalog_git_fetch_duration_seconds', help: 'Time to fetch from the remote before a refresh', labelNames: ['kind'], buckets: INDEX_BUCKETS, registers });
    this.#refreshFailures = new Counter({ name: 'catalog_refresh_failures_total', help: 'Refreshes that failed, by the stage that failed (fetch: git; index: building the snapshot)', labelNames: ['stage'], registers });
    this.#deliveries = new Counter({ name: 'catalog_webhook_deliveries_total', help: 'GitHub webhook deliveries, by event and outcome', labelNames: ['event', 'outcome'], registers });
    new Gauge({
      name: 'catalog_workers_served',
      help: 'Workers served by the current index',
      registers,
      collect() {
        this.set(options.current()?.workers.size ?? 0);
      },
    });
    new Gauge({
      name: 'catalog_branches_rejected',
      help: 'Worker branches whose newest commit is not served (never valid, or a rejected newer commit)',
      registers,
      collect() {
        let rejected = 0;
        for (const branch of options.current()?.branches.values() ?? []) if (branch.workers.length === 0 || branch.rejected !== undefined) rejected += 1;
        this.set(rejected);
      },
    });
    new Gauge({
      name: 'catalog_seconds_since_last_refresh',
      help: 'Seconds since the last successful refresh or first index; -1 before the first',
      registers,
      collect() {
        const last = options.lastSuccess();
        this.set(last === undefined ? -1 : Math.max(0, (now().getTime() - last.getTime()) / 1000));
      },
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Every request passes here; the series are bounded by the routes the app has times the statuses it answers. */
  observeRequest(route: string, method: string, status: number, seconds: number): void {
    this.#requests.observe(route, method, status, seconds);
  }

  observeIndex(kind: IndexKind, seconds: number): void {
    this.#indexSeconds.observe({ kind }, seconds);
  }

  observeDelivery(event: string, outcome: string): void {
    this.#deliveries.inc({ event, outcome });
  }

  refreshed(outcome: { readonly kind: 'full' | 'branches'; readonly fetchSeconds: number; readonly indexSeconds: number }): void {
    this.#fetchSeconds.observe({ kind: outcome.kind }, outcome.fetchSeconds);
    this.#indexSeconds.observe({ kind: outcome.kind }, outcome.indexSeconds);
  }

  failed(outcome: { readonly stage: 'fetch' | 'index' }): void {
    this.#refreshFailures.inc({ stage: outcome.stage });
  }
}
