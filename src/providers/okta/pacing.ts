import { systemClock, type Clock } from '../shared/clock';
import type { RetryPolicy } from '../shared/retry';

/**
 * Okta counts API calls per endpoint bucket for the whole org, per minute
 * (https://developer.okta.com/docs/reference/rl-global-mgmt/): e.g. `GET /api/v1/users` (list) 600,
 * `GET /api/v1/users/{id}` 2000, `/api/v1/groups` (list and members) 500, `/api/v1/groups/{id}`
 * 1000, `/api/v1/logs` 120, `/api/v1/authn` 600 on the Workforce defaults. The limits differ by
 * SKU and contract, so they are never hard-coded: the pacer learns each bucket's limit from the
 * `X-Rate-Limit-*` headers of its answers; `bucketOf` only says which bucket a request counts in.
 */
export type BucketName = 'users' | 'user' | 'groups' | 'group' | 'logs' | 'authn' | 'token' | 'other';

/** The bucket of a request, from its absolute URL (method does not matter for the reads crowdgate makes). */
export function bucketOf(url: string): BucketName {
  let path: string;
  try {
    path = new URL(url).pathname.replace(/\/{2,}/g, '/').replace(/\/$/, '');
  } catch {
    return 'other';
  }
  if (path === '/api/v1/users') return 'users';
  if (/^\/api\/v1\/users\/[^/]+$/.test(path)) return 'user';
  if (/^\/api\/v1\/groups\/[^/]+$/.test(path)) return 'group';
  if (path === '/api/v1/groups' || path.startsWith('/api/v1/groups/')) return 'groups';
  if (path === '/api/v1/logs') return 'logs';
  if (path.startsWith('/api/v1/authn')) return 'authn';
  if (/^\/oauth2\/(v1|[^/]+\/v1)\/token$/.test(path)) return 'token';
  return 'other';
}

/**
 * Client-side pacing against Okta's per-bucket rate limits
 * (https://developer.okta.com/docs/reference/rl-best-practices/): each bucket is a
 * fixed window whose answers carry `X-Rate-Limit-Limit` (calls per window), `-Remaining` and
 * `-Reset` (UTC epoch seconds when the window ends). Within one window crowdgate sends at most
 * `share × Limit` calls of a bucket (default 50%, leaving the rest to the org's other
 * integrations) and never more than `Remaining` says is left; then it waits for `Reset`.
 *
 * - Nothing is assumed about a bucket until an answer told its limit: until then one call at a time.
 * - Server time: `Reset` is read on the server's clock. The offset is estimated from `Date`
 *   headers (whole seconds, so the largest `Date − arrival` seen is the best estimate) and a
 *   small margin is added, so the next window is entered only once it has begun.
 * - 429 (E0000047, or the org's concurrent-request limit): the bucket is closed until the
 *   `Reset` of that answer plus a second (Okta's advice: Reset − Date + 1 s), and the current
 *   window counts as used up.
 * Calls in flight at a window boundary may be counted in either window, so the share is kept to
 * within the concurrency bound.
 */

/** Wait after the estimated reset before using the new window. */
const RESET_MARGIN_MS = 30;
/** Okta's own advice after a 429: Reset − Date + 1 s. */
const THROTTLE_MARGIN_MS = 1_000;
/** Never wait longer than this at once (a bogus Reset must not park the sync for hours). */
const MAX_WAIT_MS = 120_000;
/** When nothing tells how long to wait (no Reset header on a 429). */
const DEFAULT_THROTTLE_WAIT_MS = 10_000;

interface BucketState {
  limit: number | null;
  /** Server epoch ms at which the counted window ends; null when not known. */
  reset: number | null;
  remaining: number | null;
  /** Calls sent in the current window (in flight included). */
  sent: number;
  inFlight: number;
  /** Server epoch ms of the last window left behind: answers still counted in it are ignored. */
  passed: number;
  /** Local ms until which the bucket is closed after a 429. */
  closedUntil: number;
  /** Calls and 429s, for reports. */
  calls: number;
  throttled: number;
}

export interface RateHeaders {
  readonly limit: number | null;
  readonly remaining: number | null;
  /** Epoch seconds. */
  readonly reset: number | null;
  /** `Date` header as epoch ms. */
  readonly date: number | null;
}

export interface BucketReport {
  readonly calls: number;
  readonly throttled: number;
  /** Last limit seen (calls per window), null if never told. */
  readonly limit: number | null;
}

export class RatePacer {
  private readonly buckets = new Map<BucketName, BucketState>();
  /** Estimated server clock − local clock, ms; starts at "unknown" (treated as 0). */
  private skew: number | null = null;
  private readonly wakers: (() => void)[] = [];

  constructor(
    /** Share of each bucket's limit crowdgate may use, in (0, 1]. */
    readonly share: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Waits until a call of `bucket` may be sent; every acquire must be followed by exactly one
   * `settle`. Resolves with the ms it held the caller back (the caller's rate-limit wait).
   */
  async acquire(bucket: BucketName): Promise<number> {
    const b = this.state(bucket);
    const asked = this.clock.now();
    let now: number;
    for (;;) {
      now = this.clock.now();
      this.roll(b, now);
      if (b.closedUntil > now) {
        await this.clock.sleep(Math.min(MAX_WAIT_MS, b.closedUntil - now));
        continue;
      }
      if (b.limit === null) {
        // Unknown bucket: one probe call at a time until an answer tells the limit.
        if (b.inFlight === 0) break;
        await this.waitForAnswer();
        continue;
      }
      const budget = Math.max(1, Math.floor(this.share * b.limit));
      const left = b.remaining === null ? Infinity : b.remaining - b.inFlight;
      if (b.sent < budget && left > 0) break;
      if (b.reset === null) {
        // Budget spent but the window's end unknown: one probe, or wait for an answer that tells.
        if (b.inFlight === 0) break;
        await this.waitForAnswer();
        continue;
      }
      await this.clock.sleep(Math.max(1, Math.min(MAX_WAIT_MS, this.localTime(b.reset) + RESET_MARGIN_MS - now)));
    }
    b.sent++;
    b.inFlight++;
    b.calls++;
    return now - asked;
  }

  /** The call ended: with an answer's rate headers and status, or without an answer (`null`). */
  settle(
    bucket: BucketName,
    status: number | null,
    headers: RateHeaders | null,
    arrivedAt: number = this.clock.now(),
  ): void {
    const b = this.state(bucket);
    b.inFlight = Math.max(0, b.inFlight - 1);
    if (headers?.date != null) {
      const sample = headers.date - arrivedAt;
      this.skew = this.skew === null ? sample : Math.max(this.skew, sample);
    }
    if (status === 429) {
      b.throttled++;
      const until =
        headers?.reset != null
          ? this.localTime(headers.reset * 1000) + THROTTLE_MARGIN_MS
          : arrivedAt + DEFAULT_THROTTLE_WAIT_MS;
      b.closedUntil = Math.max(b.closedUntil, Math.min(arrivedAt + MAX_WAIT_MS, until));
      if (b.limit !== null) b.sent = Math.max(b.sent, b.limit);
      if (headers?.reset != null && headers.reset * 1000 > b.passed)
        b.reset = Math.max(b.reset ?? 0, headers.reset * 1000);
    } else if (headers !== null && headers.limit !== null && headers.reset !== null) {
      const reset = headers.reset * 1000;
      if (reset <= b.passed) {
        // Counted in a window already left behind: tells nothing about the current one.
      } else if (b.reset === null || reset > b.reset) {
        // A window we had not entered yet: what is in flight may count here.
        b.reset = reset;
        b.sent = Math.max(1, b.inFlight + 1);
        b.remaining = headers.remaining;
      } else if (reset === b.reset && headers.remaining !== null) {
        b.remaining = b.remaining === null ? headers.remaining : Math.min(b.remaining, headers.remaining);
      }
      b.limit = headers.limit;
    }
    this.wake();
  }

  /** Calls, 429s and limits per bucket so far. */
  report(): ReadonlyMap<BucketName, BucketReport> {
    return new Map(
      [...this.buckets].map(([name, b]) => [name, { calls: b.calls, throttled: b.throttled, limit: b.limit }]),
    );
  }

  private state(bucket: BucketName): BucketState {
    let b = this.buckets.get(bucket);
    if (b === undefined) {
      b = {
        limit: null,
        reset: null,
        remaining: null,
        sent: 0,
        inFlight: 0,
        passed: 0,
        closedUntil: 0,
        calls: 0,
        throttled: 0,
      };
      this.buckets.set(bucket, b);
    }
    return b;
  }

  /** Enters the next window once the current one has ended on the server's clock. */
  private roll(b: BucketState, now: number): void {
    if (b.reset !== null && now >= this.localTime(b.reset) + RESET_MARGIN_MS) {
      b.passed = b.reset;
      b.reset = null;
      b.sent = b.inFlight;
      b.remaining = null;
    }
  }

  /** Local time of a server instant. */
  private localTime(serverMs: number): number {
    return serverMs - (this.skew ?? 0);
  }

  private waitForAnswer(): Promise<void> {
    return new Promise((resolve) => this.wakers.push(resolve));
  }

  private wake(): void {
    for (const w of this.wakers.splice(0)) w();
  }
}

/**
 * How persistently Okta calls are retried (https://developer.okta.com/docs/reference/rl-best-practices/):
 * - 429 E0000047: wait until the bucket's `X-Rate-Limit-Reset` (the pacer closes the bucket),
 *   then retry; at most `maxThrottleRetries` per request, so a storm that never ends fails the
 *   run instead of hanging it;
 * - 502/503/504 and network failures or timeouts: equal-jitter backoff, at most `maxAttempts`
 *   tries per request;
 * - 401 with OAuth: the SDK itself fetches a new access token and retries once.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxThrottleRetries: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  requestTimeoutMs: 60_000,
};
