import { systemClock, type Clock } from '../shared/clock';
import { ConcurrencyGate } from '../shared/concurrency';
import { RequestStats } from '../shared/request-stats';
import type { RetryPauses, RetryPolicy } from '../shared/retry';
import { AdaptiveTokenBucket } from '../shared/token-bucket';

/**
 * Client-side pacing for the Directory API, so a healthy sync stays under Google's quotas instead
 * of bouncing off them (https://developers.google.com/admin-sdk/directory/v1/limits):
 *  - "Queries per minute per user" (default 2,400; exceeded → 403 userRateLimitExceeded): a token
 *    bucket refilled continuously at `queriesPerMinute`, holding at most `BURST_SECONDS` of it;
 *  - concurrent requests per account (exceeded → 429 rateLimitExceeded, limit not published,
 *    cannot be raised): at most `maxConcurrency` requests in flight.
 *
 * Contracts:
 * - `acquire()` resolves when the caller may send one request, in arrival order; the caller must
 *   `release()` the slot when the answer (or the failure) is in.
 * - `throttled(sentAt, pauseMs)`: Google said "too fast" anyway (another tool shares the quota, or
 *   the project's quota is lower than configured). Everyone waits `pauseMs`; the rate is halved
 *   (only once per burst of rejections: a request sent before the last decrease says nothing
 *   new), never below 1/10 of the configured rate; each full minute without a rejection raises it
 *   by a quarter again.
 * - Every request of the directory passes here, so the pace carries the directory's `stats`
 *   (../shared/request-stats.ts): the bucket adds the time it holds callers back (the wait for a
 *   concurrency slot is not rate-limit wait); the client and the credentials add the rest.
 */

/** Tokens the bucket holds at most: a few seconds of the rate (Google's quota bucket holds a minute). */
const BURST_SECONDS = 5;
const MIN_SHARE = 0.1;
const RECOVERY_WINDOW_MS = 60_000;

export class Pace {
  readonly stats = new RequestStats();
  private readonly bucket: AdaptiveTokenBucket;
  private readonly gate: ConcurrencyGate;
  /** Requests let through and rejections reported, for reports and benchmarks. */
  sent = 0;
  throttles = 0;

  constructor(queriesPerMinute: number, maxConcurrency: number, clock: Clock = systemClock) {
    const fullRate = queriesPerMinute / 60_000;
    const capacity = Math.max(1, fullRate * BURST_SECONDS * 1000);
    this.bucket = new AdaptiveTokenBucket(
      { fullRate, capacity, minRate: fullRate * MIN_SHARE, recoveryWindowMs: RECOVERY_WINDOW_MS, recovery: 'stepwise' },
      clock,
      this.stats,
    );
    this.gate = new ConcurrencyGate(maxConcurrency);
  }

  /** Current pace in queries per minute. */
  get queriesPerMinute(): number {
    return this.bucket.currentRate * 60_000;
  }

  /** Waits for a concurrency slot, then for the bucket; returns the instant the request may go. */
  async acquire(): Promise<number> {
    await this.gate.enter();
    const at = await this.bucket.acquire(1);
    this.sent++;
    return at;
  }

  release(): void {
    this.gate.leave();
  }

  /** A request sent at `sentAt` was refused for quota; everyone waits `pauseMs` from now. */
  throttled(sentAt: number, pauseMs: number): void {
    this.throttles++;
    this.bucket.throttled(pauseMs, 0.5, sentAt);
  }
}

/**
 * How persistently Directory API calls are retried. googleapis' gaxios retries only 429/5xx,
 * three times, with its own short backoff, and never 403 userRateLimitExceeded / quotaExceeded,
 * so the connector switches gaxios retries off per call and retries everything itself:
 * - throttled (errors.ts says which answers): Google's guidance — truncated exponential backoff,
 *   1 s + random ms, 2 s + random, 4 s + random, … up to `maxDelayMs`
 *   (https://developers.google.com/admin-sdk/directory/v1/limits); at most `maxThrottleRetries`
 *   per request, so a storm that never ends still fails the run;
 * - transient (5xx, network failure, timeout): the same backoff, `maxAttempts` tries per request;
 * - unauthenticated (401 on an API call): once, with a new JWT client (a new token).
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxThrottleRetries: 12,
  baseDelayMs: 1_000,
  maxDelayMs: 32_000,
  requestTimeoutMs: 60_000,
};

/** Backoff before attempt `attempt + 1` (attempt counts from 1): 2^(attempt-1) × base + random(base), capped. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(policy.maxDelayMs, exponential + random() * policy.baseDelayMs);
}

/** Google's backoff after throttling and transient failures alike; Retry-After is not sent. */
export function googlePauses(policy: RetryPolicy): RetryPauses {
  return { throttled: (n) => backoffMs(policy, n), transient: (n) => backoffMs(policy, n) };
}
