import type { BatchResponseItem, GraphClient } from './client';
import { describeRequest, GraphFailure } from './errors';
import { backoffMs, isTransientStatus, parseRetryAfter, type RetryPolicy } from '../shared/retry';
import { DEFAULT_RETRY_AFTER_SECONDS, type ResourceBucket } from './pacing';

/**
 * Runs many independent GETs through `POST /$batch` (https://learn.microsoft.com/en-us/graph/json-batching):
 * - at most 20 requests per batch; ids unique; answers may come in any order;
 * - the envelope is 200 even when items fail, and each item is throttled on its own: an item's 429
 *   carries its own Retry-After. The SDK retries none of that, so this queue re-submits exactly the
 *   items that were throttled (after Retry-After) or failed transiently (5xx, after backoff);
 * - up to `concurrency` batches are in flight; the RU bucket paces them (client.ts).
 *
 * `get(url)` resolves with the item's final answer (any status that is not worth a retry, e.g.
 * 200 or 404) and rejects with GraphFailure when the retries are exhausted or the whole batch
 * failed. `priority` requests (next pages, retries) go before new ones, so started work finishes
 * first and its memory is released early.
 *
 * Items count in the bucket's stats as the retry loop counts requests: each re-submission is a
 * retry, the Retry-After an item waits is rate-limit wait, and an item that finally fails (or
 * whose final answer is an error status) is an error; the bucket counts its 429s. A batch that
 * fails as a whole is counted once, by the client.
 */
export const MAX_BATCH_REQUESTS = 20;

export interface ItemAnswer {
  readonly status: number;
  readonly body: unknown;
}

interface Job {
  readonly url: string;
  attempts: number;
  throttles: number;
  resolve(answer: ItemAnswer): void;
  reject(error: unknown): void;
}

export class BatchQueue {
  private readonly urgent: Job[] = [];
  private readonly normal: Job[] = [];
  private inFlight = 0;
  private readonly timers = new Map<NodeJS.Timeout, Job>();
  private failure: unknown;
  private sequence = 0;

  constructor(
    private readonly client: GraphClient,
    private readonly bucket: ResourceBucket,
    private readonly policy: RetryPolicy,
    private readonly concurrency: number,
  ) {}

  /** `url` relative to the version, e.g. `/groups/{id}/members?$select=id`. */
  get(url: string, priority = false): Promise<ItemAnswer> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<ItemAnswer>((resolve, reject) => {
      (priority ? this.urgent : this.normal).push({ url, attempts: 0, throttles: 0, resolve, reject });
      this.pump();
    });
  }

  /** Fails every queued request and refuses new ones (running batches finish unheard). */
  abort(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const [timer, job] of this.timers) {
      clearTimeout(timer);
      job.reject(error);
    }
    this.timers.clear();
    for (const job of [...this.urgent.splice(0), ...this.normal.splice(0)]) job.reject(error);
  }

  private pump(): void {
    while (
      this.failure === undefined &&
      this.inFlight < this.concurrency &&
      this.urgent.length + this.normal.length > 0
    ) {
      const jobs = this.urgent.splice(0, MAX_BATCH_REQUESTS);
      if (jobs.length < MAX_BATCH_REQUESTS) jobs.push(...this.normal.splice(0, MAX_BATCH_REQUESTS - jobs.length));
      this.inFlight++;
      void this.send(jobs).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(jobs: Job[]): Promise<void> {
    const ids = jobs.map(() => String(++this.sequence));
    let answers: BatchResponseItem[];
    let sentAt: number;
    try {
      ({ responses: answers, sentAt } = await this.client.postBatch(
        jobs.map((job, i) => ({ id: ids[i] as string, method: 'GET', url: job.url })),
      ));
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    const byId = new Map(answers.map((a) => [String(a.id), a]));
    const throttled = answers.filter((a) => a.status === 429);
    if (throttled.length > 0) {
      const seconds = Math.max(
        ...throttled.map((a) => parseRetryAfter(headerOf(a, 'retry-after')) ?? DEFAULT_RETRY_AFTER_SECONDS),
      );
      this.bucket.batchThrottled(seconds, throttled.length, jobs.length, sentAt);
    }
    jobs.forEach((job, i) => this.settle(job, byId.get(ids[i] as string)));
  }

  private settle(job: Job, answer: BatchResponseItem | undefined): void {
    if (this.failure !== undefined) {
      job.reject(this.failure);
      return;
    }
    const status = answer?.status ?? 0;
    const retryAfter = parseRetryAfter(headerOf(answer, 'retry-after'));
    const stats = this.bucket.stats;
    if (status === 429) {
      job.throttles++;
      if (job.throttles > this.policy.maxThrottleRetries) {
        stats.errors++;
        job.reject(failure(job, answer, `still throttled after ${this.policy.maxThrottleRetries} retries`));
        return;
      }
      const ms = (retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS) * 1000;
      stats.rateLimitWaitMs += ms;
      this.later(job, ms);
      return;
    }
    // No answer for the item at all is as transient as a 503.
    if (status === 0 || isTransientStatus(status)) {
      job.attempts++;
      if (job.attempts >= this.policy.maxAttempts) {
        stats.errors++;
        job.reject(failure(job, answer, `failed ${job.attempts} times`));
        return;
      }
      this.later(job, backoffMs(this.policy, job.attempts, retryAfter));
      return;
    }
    if (status >= 400) stats.errors++;
    job.resolve({ status, body: answer?.body });
  }

  private later(job: Job, ms: number): void {
    this.bucket.stats.retries++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.urgent.push(job);
      this.pump();
    }, ms);
    this.timers.set(timer, job);
  }
}

function headerOf(answer: BatchResponseItem | undefined, name: string): string | undefined {
  if (!answer?.headers) return undefined;
  for (const [key, value] of Object.entries(answer.headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function failure(job: Job, answer: BatchResponseItem | undefined, why: string): GraphFailure {
  const error = (answer?.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : '';
  const message = typeof error?.message === 'string' ? `${error.message} (${why})` : why;
  return new GraphFailure(answer?.status ?? 0, code, message, `$batch ${describeRequest('GET', job.url)}`);
}
