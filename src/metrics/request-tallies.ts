import {
  Counter,
  Histogram,
  type MetricObjectWithValues,
  type MetricType,
  type MetricValueWithName,
  type Registry,
} from 'prom-client';

/** Per (door, route, status class): requests answered since the last scrape folded them in. */
interface RequestTally {
  readonly labels: { readonly door: string; readonly route: string; readonly status: string };
  pending: number;
}

/** Per (door, route): the latency histogram, kept as plain numbers (not cumulative per bucket). */
interface LatencyTally {
  readonly labels: { readonly door: string; readonly route: string };
  readonly buckets: number[];
  sum: number;
  count: number;
}

/**
 * The request counter and latency histogram with nothing but number increments on the request
 * path. prom-client validates and hashes a label set on every `inc` and `observe`, even through
 * `labels(…)` children; here a request costs one map lookup per tally, and the counter gets its
 * increments folded in at scrape time (its `collect`), the histogram renders its own values (the
 * shape prom-client's Histogram gives, so the text format and the cluster aggregation are the same).
 */
export class RequestTallies {
  private readonly requests = new Map<string, RequestTally>();
  private readonly latency = new Map<string, LatencyTally>();

  constructor(
    registry: Registry,
    names: { readonly requests: string; readonly latency: string },
    help: { readonly requests: string; readonly latency: string },
    private readonly bounds: readonly number[],
  ) {
    const tallies = this.requests;
    new Counter({
      name: names.requests,
      help: help.requests,
      labelNames: ['door', 'route', 'status'],
      registers: [registry],
      collect() {
        for (const tally of tallies.values()) {
          if (tally.pending === 0) continue;
          this.inc(tally.labels, tally.pending);
          tally.pending = 0;
        }
      },
    });
    registry.registerMetric(new TalliedHistogram(names.latency, help.latency, bounds, this.latency));
  }

  record(door: string, route: string, status: string, seconds: number): void {
    const requestKey = `${door} ${route} ${status}`;
    let tally = this.requests.get(requestKey);
    if (tally === undefined) {
      tally = { labels: { door, route, status }, pending: 0 };
      this.requests.set(requestKey, tally);
    }
    tally.pending++;
    const latencyKey = `${door} ${route}`;
    let latency = this.latency.get(latencyKey);
    if (latency === undefined) {
      latency = { labels: { door, route }, buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.latency.set(latencyKey, latency);
    }
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]!) bucket++;
    if (bucket < this.bounds.length) latency.buckets[bucket]!++;
    latency.sum += seconds;
    latency.count++;
  }
}

/** prom-client's typings declare `type` as a numeric enum; the library writes (and reads) the string. */
const HISTOGRAM = 'histogram' as unknown as MetricType;

/** A Histogram whose values are the tallies' (its own `observe` is never called). */
class TalliedHistogram extends Histogram<'door' | 'route'> {
  constructor(
    private readonly metricName: string,
    private readonly metricHelp: string,
    private readonly upperBounds: readonly number[],
    private readonly tallies: ReadonlyMap<string, LatencyTally>,
  ) {
    super({
      name: metricName,
      help: metricHelp,
      labelNames: ['door', 'route'],
      buckets: [...upperBounds],
      registers: [],
    });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<'door' | 'route' | 'le'>>> {
    const name = this.metricName;
    const values: MetricValueWithName<'door' | 'route' | 'le'>[] = [];
    for (const tally of this.tallies.values()) {
      let cumulative = 0;
      this.upperBounds.forEach((le, index) => {
        cumulative += tally.buckets[index]!;
        values.push({ metricName: `${name}_bucket`, labels: { ...tally.labels, le }, value: cumulative });
      });
      values.push(
        { metricName: `${name}_bucket`, labels: { ...tally.labels, le: '+Inf' }, value: tally.count },
        { metricName: `${name}_sum`, labels: tally.labels, value: tally.sum },
        { metricName: `${name}_count`, labels: tally.labels, value: tally.count },
      );
    }
    // Plain data only (it crosses the cluster's IPC channel): prom-client's typings ask for a
    // `collect` that its own metrics leave out of this object too.
    const data = { name, help: this.metricHelp, type: HISTOGRAM, values, aggregator: 'sum' as const };
    return data as MetricObjectWithValues<MetricValueWithName<'door' | 'route' | 'le'>>;
  }

  /** The text format reads the same values (prom-client prefers this method when a metric has it). */
  async getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<'door' | 'route' | 'le'>>> {
    return this.get();
  }
}
