import { sleep as realSleep } from './clock';
import type { RequestStats } from './request-stats';

/**
 * How persistently a connector retries one request, and the one retry loop all connectors share.
 * Which answers are throttling, transient or a refused token is the vendor's decision (its
 * errors.ts); how many tries each deserves is its `DEFAULT_RETRY_POLICY` (its pacing.ts).
 */
export interface RetryPolicy {
  /** Tries per request for transient failures: 5xx, network failures, timeouts (first try included). */
  readonly maxAttempts: number;
  /** Retries per request after throttling answers, so a storm that never ends still fails the run. */
  readonly maxThrottleRetries: number;
  /** First backoff; doubles per attempt, capped at `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Per request: the whole answer must arrive within this. */
  readonly requestTimeoutMs: number;
}

/** Statuses worth another try after a pause: bad gateway, service unavailable, gateway timeout. */
export function isTransientStatus(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}

/**
 * Exponential backoff with equal jitter before attempt `attempt + 1` (attempt counts from 1): half
 * of min(maxDelay, base × 2^(attempt−1)) fixed, half random; a longer Retry-After wins.
 */
export function backoffMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterSeconds: number | null,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.max(ceiling / 2 + random() * (ceiling / 2), (retryAfterSeconds ?? 0) * 1000);
}

/** Retry-After as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, (date - now) / 1000);
}

/**
 * What one try came to. `done`: return `value` (a success, or an answer the caller reports as it
 * is). `failed`: throw `error`. The other kinds are retried while the policy allows; once it does
 * not, `giveUp(tries)` decides (return the answer, or throw a failure naming the tries).
 * `beforeRetry(pauseMs)` runs only when another try follows (drain the body, tell the pacer,
 * drop the token) — before the pause.
 */
export type Attempt<T> =
  | { readonly kind: 'done'; readonly value: T }
  | { readonly kind: 'failed'; readonly error: unknown }
  | {
      readonly kind: 'throttled' | 'transient' | 'unauthenticated';
      /** Seconds the server asked to wait (Retry-After), if it said. */
      readonly retryAfterSeconds?: number | null;
      giveUp(tries: number): T | Promise<T>;
      beforeRetry?(pauseMs: number): void | Promise<void>;
    };

export interface RetryPauses {
  /** Pause after the `n`-th throttling answer of a request (from 1); 0 where the pacer already holds every caller back. */
  throttled(n: number, retryAfterSeconds: number | null): number;
  /** Pause after the `n`-th transient failure of a request (from 1). */
  transient(n: number, retryAfterSeconds: number | null): number;
  sleep?(ms: number): Promise<void>;
}

/** Equal-jitter backoff for transient failures, no pause of its own for throttling (the pacer waits). */
export function pacedPauses(policy: RetryPolicy): RetryPauses {
  return { throttled: () => 0, transient: (n, retryAfter) => backoffMs(policy, n, retryAfter) };
}

/**
 * Runs `attempt` until it is done: throttling answers are retried up to `maxThrottleRetries`
 * times, transient failures until `maxAttempts` tries, a refused token once; neither of the
 * latter two counts as a try. An exception thrown by `attempt` itself is not retried.
 *
 * `stats`, when given, counts every throttling outcome (also the one given up on), every retry
 * (once its beforeRetry is done) and the pause after a throttling answer as rate-limit wait; the
 * caller counts requests and errors, which only it can tell.
 */
export async function retrying<T>(
  policy: RetryPolicy,
  pauses: RetryPauses,
  attempt: () => Promise<Attempt<T>>,
  stats?: RequestStats,
): Promise<T> {
  const pause = pauses.sleep ?? realSleep;
  let tries = 0;
  let throttled = 0;
  let renewed = false;
  for (;;) {
    tries++;
    const outcome = await attempt();
    switch (outcome.kind) {
      case 'done':
        return outcome.value;
      case 'failed':
        throw outcome.error;
      case 'throttled': {
        if (stats) stats.throttled++;
        if (throttled >= policy.maxThrottleRetries) return outcome.giveUp(tries);
        throttled++;
        tries--;
        const ms = pauses.throttled(throttled, outcome.retryAfterSeconds ?? null);
        await outcome.beforeRetry?.(ms);
        if (stats) {
          stats.retries++;
          stats.rateLimitWaitMs += ms;
        }
        if (ms > 0) await pause(ms);
        break;
      }
      case 'transient': {
        if (tries >= policy.maxAttempts) return outcome.giveUp(tries);
        const ms = pauses.transient(tries, outcome.retryAfterSeconds ?? null);
        await outcome.beforeRetry?.(ms);
        if (stats) stats.retries++;
        await pause(ms);
        break;
      }
      case 'unauthenticated': {
        if (renewed) return outcome.giveUp(tries);
        renewed = true;
        tries--;
        await outcome.beforeRetry?.(0);
        if (stats) stats.retries++;
        break;
      }
    }
  }
}
