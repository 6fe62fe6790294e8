import { systemClock, type Clock } from '../shared/clock';
import { RequestStats } from '../shared/request-stats';
import type { RetryPolicy } from '../shared/retry';
import { AdaptiveTokenBucket } from '../shared/token-bucket';

/**
 * Client-side pacing by resource units (RU), so a healthy sync stays under Graph's
 * identity-and-access limit instead of bouncing off it
 * (https://learn.microsoft.com/en-us/graph/throttling-limits, "Identity and access service
 * limits"): a token bucket per app+tenant of 3,500 / 5,000 / 8,000 RU per 10 s
 * (S/M/L tenants). Costs: GET users 2, GET groups/{id}/members 3, transitiveMembers 5,
 * users/{id}/memberOf 2, any other request 1; $select −1, $expand +1, $top < 20 −1; never below 1.
 * Each $batch item is charged on its own; the $batch envelope itself is not.
 */

const WINDOW_MS = 10_000;
/** The slowest the client paces itself after 429s: 0.5 RU per second. */
const MIN_RATE = 0.5 / 1000;

/** RU cost of one Graph request, from its method, URL (absolute, or relative to the version) and query. */
export function requestCost(method: string, url: string): number {
  const { path, query } = splitUrl(url);
  const segments = path.split('/').filter((s) => s !== '');
  let cost = 1;
  if (method.toUpperCase() === 'GET') {
    if (segments.length === 1 && segments[0] === 'users') cost = 2;
    else if (segments[0] === 'groups' && segments[2] === 'members') cost = 3;
    else if (segments[0] === 'groups' && segments[2] === 'transitiveMembers') cost = 5;
    else if (segments[0] === 'users' && (segments[2] === 'memberOf' || segments[2] === 'transitiveMemberOf')) cost = 2;
  }
  if (query.has('$select')) cost -= 1;
  if (query.has('$expand')) cost += 1;
  const top = query.get('$top');
  if (top !== undefined && /^\d+$/.test(top) && Number(top) < 20) cost -= 1;
  return Math.max(1, cost);
}

/** Path after the version segment and the query options (`$`-names lower-cased). */
function splitUrl(url: string): { path: string; query: Map<string, string> } {
  let rest = url.replace(/^https:\/\/[^/]+/i, '');
  rest = rest.replace(/^\/(v1\.0|beta)(?=\/|\?|$)/i, '');
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = new Map<string, string>();
  if (q >= 0) {
    for (const [key, value] of new URLSearchParams(rest.slice(q + 1)))
      query.set(key.startsWith('$') ? key.toLowerCase() : key, value);
  }
  return { path, query };
}

/**
 * How persistently Graph requests are retried (https://learn.microsoft.com/en-us/graph/throttling,
 * "Best practices to handle throttling"):
 * - 429: wait exactly Retry-After (seconds or an HTTP date; the bucket holds every caller back),
 *   then retry; at most `maxThrottleRetries` per request (40 × Retry-After is minutes);
 * - 502/503/504, network failures and timeouts: equal-jitter backoff, or the Retry-After the
 *   server sent if longer; at most `maxAttempts` tries per request;
 * - 401 InvalidAuthenticationToken: one fresh token, then one more try.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxThrottleRetries: 40,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  requestTimeoutMs: 60_000,
};

/** Default pause when Graph throttles without saying for how long. */
export const DEFAULT_RETRY_AFTER_SECONDS = 10;

/**
 * The RU budget of one app+tenant as an adaptive token bucket (../shared/token-bucket.ts): when
 * Graph answers 429 anyway (another client shares the app+tenant bucket, or the tenant is smaller
 * than the budget assumes), every caller waits until the Retry-After instant and the rate falls —
 * to the share of the batch Graph still accepted (at least a quarter), or by half for a plain
 * request. Each full 10 s window without a 429 raises the rate by a quarter, up to the budget;
 * never below 0.5 RU/s.
 *
 * Every request of the directory passes here, so the bucket carries the directory's `stats`
 * (../shared/request-stats.ts): it adds its own waits (the RU pacing, and the Retry-After it holds
 * everyone to) and the `$batch` items answered 429; the clients, the batch queue and the token
 * source add the rest.
 */
export class ResourceBucket {
  readonly stats = new RequestStats();
  private readonly bucket: AdaptiveTokenBucket;
  /** RU spent (acquired) since construction, for reports. */
  spent = 0;
  /** 429s reported, for reports: on plain requests and on `$batch` items. */
  throttles = 0;
  batchItemThrottles = 0;

  constructor(
    /** RU per 10 s. */
    budget: number,
    clock: Clock = systemClock,
  ) {
    const fullRate = budget / WINDOW_MS;
    this.bucket = new AdaptiveTokenBucket(
      { fullRate, capacity: budget, minRate: MIN_RATE, recoveryWindowMs: WINDOW_MS, recovery: 'continuous' },
      clock,
      this.stats,
    );
  }

  /** Current refill rate in RU per 10 s. */
  get currentBudget(): number {
    return this.bucket.currentRate * WINDOW_MS;
  }

  /** Takes `cost` RU, waiting as long as the bucket says; resolves with the instant it let the caller go. */
  acquire(cost: number): Promise<number> {
    this.spent += cost;
    return this.bucket.acquire(cost);
  }

  /** A plain request sent at `sentAt` was answered 429 with this Retry-After (seconds). */
  throttled(retryAfterSeconds: number, sentAt: number): void {
    this.throttles++;
    this.bucket.throttled(retryAfterSeconds * 1000, 0.5, sentAt);
  }

  /** `throttledItems` of the `totalItems` of one `$batch` sent at `sentAt` were answered 429; the longest Retry-After. */
  batchThrottled(retryAfterSeconds: number, throttledItems: number, totalItems: number, sentAt: number): void {
    this.batchItemThrottles += throttledItems;
    this.stats.throttled += throttledItems;
    this.bucket.throttled(retryAfterSeconds * 1000, Math.max(0.25, (totalItems - throttledItems) / totalItems), sentAt);
  }
}
