/**
 * Retry rules for Graph (throttling.md, "Best practices to handle throttling"; errors.md):
 * - 429: wait exactly Retry-After (seconds or an HTTP date), then retry; bounded by
 *   `maxThrottleRetries` per request (40 × Retry-After is minutes) so a storm that never ends
 *   still fails the run.
 * - 502/503/504 and network failures or timeouts: exponential backoff with equal jitter, or the
 *   Retry-After the server sent if longer; bounded by `maxAttempts` per request.
 * - 401 InvalidAuthenticationToken: one fresh token, then retry once.
 * Anything else is not retried: the caller sees the error.
 */
export interface RetryPolicy {
  /** Attempts per request for 5xx, network failures and timeouts (first try included). */
  readonly maxAttempts: number;
  /** 429 retries per request. */
  readonly maxThrottleRetries: number;
  /** First backoff; doubles per attempt (equal jitter: half fixed, half random), capped at `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Per request: headers and body must arrive within this. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxThrottleRetries: 40,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  requestTimeoutMs: 60_000,
};

/** Statuses worth another try after a pause (Graph: service unavailable, gateway timeout, bad gateway). */
export function isTransientStatus(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}

/** Backoff before attempt `attempt + 1` (attempt counts from 1), honouring a longer Retry-After. */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfterSeconds: number | null, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}

/** Retry-After as seconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, (date - now) / 1000);
}

/** Default pause when Graph throttles without saying for how long. */
export const DEFAULT_RETRY_AFTER_SECONDS = 10;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
