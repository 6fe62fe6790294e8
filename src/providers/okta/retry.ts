/**
 * Retry rules for Okta calls (rl-best-practices; error codes reference):
 * - 429 E0000047: wait until the bucket's `X-Rate-Limit-Reset` (the pacer closes the bucket),
 *   then retry; at most `maxThrottleRetries` per request, so a storm that never ends fails the
 *   run instead of hanging it.
 * - 502/503/504 and network failures or timeouts: exponential backoff with equal jitter, at most
 *   `maxAttempts` tries per request.
 * - 401 with OAuth: the SDK itself fetches a new access token and retries once.
 * Anything else is returned to the caller as it is.
 */
export interface RetryPolicy {
  /** Tries per request for 5xx and network failures (first try included). */
  readonly maxAttempts: number;
  /** 429 retries per request. */
  readonly maxThrottleRetries: number;
  /** First backoff; doubles per attempt, capped at `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Per request (node-fetch `timeout`: headers and body). */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxThrottleRetries: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  requestTimeoutMs: 60_000,
};

export function isTransientStatus(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}

/** Backoff before try `attempt + 1` (attempt counts from 1), honouring a longer Retry-After (seconds). */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfterSeconds: number | null, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.max(ceiling / 2 + random() * (ceiling / 2), (retryAfterSeconds ?? 0) * 1000);
}
