// RequestSeries: catalog_http_requests_total (by route pattern, method and
// status) and catalog_http_request_duration_seconds (by route pattern and
// method), kept as plain numbers and shown to the prom-client registry as two
// metrics in the shape its own Counter and Histogram give. Every request is
// counted here, and prom-client's labelled children re-hash and re-validate
// their labels on each inc() and observe(): a few per cent of a small
// answer's cost. Here a request costs one Map lookup and a few additions; the
// work of formatting is done when /metrics is scraped.

import type { Metric, Registry } from 'prom-client';

type CountLabels = { readonly route: string; readonly method: string; readonly status: string };
type DurationLabels = { readonly route: string; readonly method: string };

interface CountSeries {
  readonly labels: CountLabels;
  value: number;
}

interface DurationSeries {
  readonly labels: DurationLabels;
  /** Observations per bucket, not cumulative: index i counts values in (bounds[i-1], bounds[i]]. */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

export interface RequestSeriesOptions {
  readonly registry: Registry;
  /** Upper bounds of the duration buckets, ascending; +Inf is added. */
  readonly buckets: readonly number[];
}

export class RequestSeries {
  readonly #bounds: readonly number[];
  readonly #counts = new Map<string, CountSeries>();
  readonly #durations = new Map<string, DurationSeries>();
  /** Both series of a route, method and status, found with one lookup per request. */
  readonly #byRequest = new Map<string, { readonly count: CountSeries; readonly duration: DurationSeries }>();

  constructor(options: RequestSeriesOptions) {
    this.#bounds = [...options.buckets];
    options.registry.registerMetric(this.#countMetric() as unknown as Metric);
    options.registry.registerMetric(this.#durationMetric() as unknown as Metric);
  }

  observe(route: string, method: string, status: number, seconds: number): void {
    const key = `${route}\0${method}\0${status}`;
    let series = this.#byRequest.get(key);
    if (series === undefined) {
      series = { count: this.#countSeries(route, method, String(status)), duration: this.#durationSeries(route, method) };
      this.#byRequest.set(key, series);
    }
    series.count.value += 1;
    const { duration } = series;
    duration.count += 1;
    duration.sum += seconds;
    const bounds = this.#bounds;
    for (let at = 0; at < bounds.length; at += 1) {
      if (seconds <= bounds[at]!) {
        duration.buckets[at]! += 1;
        break;
      }
    }
  }

  #countSeries(route: string, method: string, status: string): CountSeries {
    const key = `${route}\0${method}\0${status}`;
    let series = this.#counts.get(key);
    if (series === undefined) {
      series = { labels: { route, method, status }, value: 0 };
      this.#counts.set(key, series);
    }
    return series;
  }

  #durationSeries(route: string, method: string): DurationSeries {
    const key = `${route}\0${method}`;
    let series = this.#durations.get(key);
    if (series === undefined) {
      series = { labels: { route, method }, buckets: new Float64Array(this.#bounds.length), sum: 0, count: 0 };
      this.#durations.set(key, series);
    }
    return series;
  }

  #reset(): void {
    this.#counts.clear();
    this.#durations.clear();
    this.#byRequest.clear();
  }

  #countMetric() {
    const name = 'catalog_http_requests_total';
    const help = 'HTTP requests answered, by route pattern, method and status';
    const counts = this.#counts;
    return {
      name,
      help,
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({ name, help, type: 'counter', aggregator: 'sum', values: [...counts.values()].map(({ labels, value }) => ({ labels: { ...labels }, value })) }),
      reset: () => this.#reset(),
    };
  }

  #durationMetric() {
    const name = 'catalog_http_request_duration_seconds';
    const help = 'Time from request start to the last byte written';
    const bucketName = `${name}_bucket`;
    // As prom-client's Histogram gives them: each series' labels shared by its lines, `le` on the bucket lines.
    const forPromString = () => {
      const values: { labels: Record<string, string | number>; sharedLabels: DurationLabels; value: number; metricName: string; exemplar?: null }[] = [];
      for (const series of this.#durations.values()) {
        let cumulative = 0;
        this.#bounds.forEach((bound, at) => {
          cumulative += series.buckets[at]!;
          values.push({ labels: { le: bound }, sharedLabels: series.labels, value: cumulative, metricName: bucketName, exemplar: null });
        });
        values.push(
          { labels: { le: '+Inf' }, sharedLabels: series.labels, value: series.count, metricName: bucketName, exemplar: null },
          { labels: {}, sharedLabels: series.labels, value: series.sum, metricName: `${name}_sum` },
          { labels: {}, sharedLabels: series.labels, value: series.count, metricName: `${name}_count` },
        );
      }
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    };
    return {
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      getForPromString: async () => forPromString(),
      get: async () => {
        const data = forPromString();
        return { ...data, values: data.values.map(({ labels, sharedLabels, ...value }) => ({ ...value, labels: { ...labels, ...sharedLabels } })) };
      },
      reset: () => this.#reset(),
    };
  }
}
