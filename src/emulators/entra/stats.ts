/**
 * Request accounting for tests and benchmarks: counts by status and the server-side handling time
 * of every Graph request (from the end of body reading to the response being handed to the socket).
 */
export interface StatsSummary {
  readonly requests: number;
  readonly graphRequests: number;
  readonly identityRequests: number;
  readonly byStatus: Readonly<Record<number, number>>;
  /** Server time of Graph requests (handling plus handing the body to TLS), milliseconds. */
  readonly graphTimeMs: Distribution;
  /** The handling part alone: routing, paging, serialising (no socket write). */
  readonly graphHandlerMs: Distribution;
}

export interface Distribution {
  readonly total: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

function distribution(samples: readonly number[]): Distribution {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number): number =>
    sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
  const total = samples.reduce((a, b) => a + b, 0);
  return {
    total,
    mean: sorted.length === 0 ? 0 : total / sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.length === 0 ? 0 : (sorted[sorted.length - 1] as number),
  };
}

const MAX_SAMPLES = 2_000_000;

export class EmulatorStats {
  private requests = 0;
  private identity = 0;
  private byStatus: Record<number, number> = {};
  private samples: number[] = [];
  private handlerSamples: number[] = [];

  record(kind: 'graph' | 'identity' | 'other', status: number, ms: number, handlerMs: number): void {
    this.requests++;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    if (kind === 'identity') this.identity++;
    if (kind === 'graph' && this.samples.length < MAX_SAMPLES) {
      this.samples.push(ms);
      this.handlerSamples.push(handlerMs);
    }
  }

  reset(): void {
    this.requests = 0;
    this.identity = 0;
    this.byStatus = {};
    this.samples = [];
    this.handlerSamples = [];
  }

  summary(): StatsSummary {
    return {
      requests: this.requests,
      graphRequests: this.samples.length,
      identityRequests: this.identity,
      byStatus: { ...this.byStatus },
      graphTimeMs: distribution(this.samples),
      graphHandlerMs: distribution(this.handlerSamples),
    };
  }
}
