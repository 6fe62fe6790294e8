import type { Worker } from 'node:cluster';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';

/**
 * One `/metrics` answer for crowdgate with serving workers: the primary's registry (sync,
 * store, providers, sessions) and every worker's (HTTP), summed by prom-client's aggregator
 * (each metric's `aggregator`: sum by default, `min` for the TLS expiry, and prom-client's own
 * choices for process metrics). A worker that does not answer within the timeout is left out
 * of that answer rather than holding it up.
 */
type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

interface MetricsRequest {
  readonly type: 'metrics-request';
  readonly id: number;
}
interface MetricsReply {
  readonly type: 'metrics-reply';
  readonly id: number;
  readonly metrics: MetricsJson;
}

/** A worker slower than this is left out of one answer (Prometheus's scrape timeout is 10 s by default). */
const WORKER_TIMEOUT_MS = 3_000;

export class ClusterMetrics {
  private nextId = 1;
  private readonly waiting = new Map<number, (metrics: MetricsJson) => void>();

  constructor(
    private readonly primary: Registry,
    private readonly workers: () => readonly Worker[],
  ) {}

  /** Primary side: route a worker's message here; true when it was a metrics reply. */
  receive(message: unknown): boolean {
    if (!isReply(message)) return false;
    this.waiting.get(message.id)?.(message.metrics);
    return true;
  }

  /** The exposition text of the whole cluster. */
  async exposition(): Promise<string> {
    const answers = await Promise.all(this.workers().map((worker) => this.ask(worker)));
    const parts = [await this.primary.getMetricsAsJSON(), ...answers.filter((a): a is MetricsJson => a !== undefined)];
    return AggregatorRegistry.aggregate(parts).metrics();
  }

  private ask(worker: Worker): Promise<MetricsJson | undefined> {
    if (!worker.isConnected()) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), WORKER_TIMEOUT_MS);
      const finish = (metrics: MetricsJson | undefined) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(metrics);
      };
      this.waiting.set(id, finish);
      const request: MetricsRequest = { type: 'metrics-request', id };
      worker.send(request, (error: Error | null) => {
        if (error) finish(undefined);
      });
    });
  }
}

/** Worker side: answers the primary's metrics requests with this worker's registry. */
export function answerMetricsRequests(registry: Registry): void {
  process.on('message', (message: unknown) => {
    if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== 'metrics-request')
      return;
    const { id } = message as MetricsRequest;
    void registry.getMetricsAsJSON().then((metrics) => {
      const reply: MetricsReply = { type: 'metrics-reply', id, metrics };
      // A reply that cannot be sent leaves this worker out of one answer (the primary times out), nothing more.
      if (process.connected) process.send?.(reply, undefined, {}, () => {});
    });
  });
}

function isReply(message: unknown): message is MetricsReply {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'metrics-reply';
}
