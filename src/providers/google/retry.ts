/**
 * Retry rules for the Directory API. googleapis' gaxios retries only 429/5xx, three times, with
 * its own short backoff, and never 403 userRateLimitExceeded / quotaExceeded (providers.md §B.3),
 * so the connector switches gaxios retries off per call and retries everything itself:
 * - throttled (403 userRateLimitExceeded / quotaExceeded / rateLimitExceeded, 429): Google's
 *   guidance — truncated exponential backoff, 1 s + random ms, 2 s + random, 4 s + random, …
 *   up to `maxDelayMs` (developers.google.com/admin-sdk/directory/v1/limits); bounded by
 *   `maxThrottleRetries` per request, so a storm that never ends still fails the run;
 * - transient (5xx, network failure, timeout): the same backoff, `maxAttempts` per request;
 * - unauthenticated (401 on an API call): once, with a new JWT client (a new token).
 * Anything else is not retried: the caller sees the error.
 */
export interface RetryPolicy {
  /** Attempts per request for 5xx, network failures and timeouts (first try included). */
  readonly maxAttempts: number;
  /** Quota retries per request. */
  readonly maxThrottleRetries: number;
  /** First backoff; doubles per attempt, plus up to `baseDelayMs` of random jitter; capped at `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Per request: the whole answer must arrive within this. */
  readonly requestTimeoutMs: number;
}

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

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
