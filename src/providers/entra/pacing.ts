/**
 * Client-side pacing by resource units (RU), so a healthy sync stays under Graph's
 * identity-and-access limit instead of bouncing off it (throttling-limits.md, "Identity and
 * access service limits"): a token bucket per app+tenant of 3,500 / 5,000 / 8,000 RU per 10 s
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
    for (const [key, value] of new URLSearchParams(rest.slice(q + 1))) query.set(key.startsWith('$') ? key.toLowerCase() : key, value);
  }
  return { path, query };
}

export interface BucketClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: BucketClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A FIFO token bucket of RU that may go into debt: `acquire(cost)` takes the units at once and
 * waits until the debt is repaid at the current rate, so callers are served in arrival order and
 * the long-run rate never exceeds the budget.
 *
 * When Graph answers 429 anyway (another client shares the app+tenant bucket, or the tenant is
 * smaller than the budget assumes), every caller waits until the Retry-After instant, the bucket
 * is emptied and the rate falls (multiplicative decrease): to the share of the batch Graph still
 * accepted (at least a quarter), or by half for a plain request; only a request sent after the
 * last decrease can cause another. Debt run up at the old rate is forgiven. Each full 10 s
 * window without a 429 raises the rate by a quarter, up to the budget; never below 0.5 RU/s.
 */
export class ResourceBucket {
  private readonly capacity: number;
  private rate: number;
  private tokens: number;
  private at: number;
  private blockedUntil = 0;
  private lastThrottle = Number.NEGATIVE_INFINITY;
  /** RU spent (acquired) since construction, for reports. */
  spent = 0;
  /** 429s reported, for reports: on plain requests and on `$batch` items. */
  throttles = 0;
  batchItemThrottles = 0;

  constructor(
    /** RU per 10 s. */
    private readonly budget: number,
    private readonly clock: BucketClock = systemClock,
  ) {
    this.capacity = budget;
    this.rate = budget / WINDOW_MS;
    this.tokens = budget;
    this.at = clock.now();
  }

  /** Current refill rate in RU per 10 s. */
  get currentBudget(): number {
    return this.rate * WINDOW_MS;
  }

  /** Takes `cost` RU, waiting as long as the bucket says; resolves with the instant it let the caller go. */
  async acquire(cost: number): Promise<number> {
    this.refill();
    this.tokens -= cost;
    this.spent += cost;
    const now = this.clock.now();
    const debtWait = this.tokens < 0 ? -this.tokens / this.rate : 0;
    const wait = Math.max(debtWait, this.blockedUntil - now);
    if (wait > 0) await this.clock.sleep(wait);
    return this.clock.now();
  }

  /** A plain request sent at `sentAt` was answered 429 with this Retry-After (seconds). */
  throttled(retryAfterSeconds: number, sentAt: number): void {
    this.throttles++;
    this.slowDown(retryAfterSeconds, 0.5, sentAt);
  }

  /** `throttledItems` of the `totalItems` of one `$batch` sent at `sentAt` were answered 429; the longest Retry-After. */
  batchThrottled(retryAfterSeconds: number, throttledItems: number, totalItems: number, sentAt: number): void {
    this.batchItemThrottles += throttledItems;
    this.slowDown(retryAfterSeconds, Math.max(0.25, (totalItems - throttledItems) / totalItems), sentAt);
  }

  private slowDown(retryAfterSeconds: number, factor: number, sentAt: number): void {
    this.refill();
    const now = this.clock.now();
    this.blockedUntil = Math.max(this.blockedUntil, now + retryAfterSeconds * 1000);
    // Debt run up at the old rate is forgiven: repaid at the new, lower rate it would stall the
    // queue for minutes. Requests already waiting keep their turn.
    this.tokens = 0;
    // Only a request sent after the last decrease says the decreased rate is still too high.
    if (sentAt > this.lastThrottle) {
      this.rate = Math.max(MIN_RATE, this.rate * factor);
      this.lastThrottle = now;
    }
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = now - this.at;
    if (elapsed <= 0) return;
    const full = this.budget / WINDOW_MS;
    if (this.rate < full && now - this.lastThrottle > WINDOW_MS) {
      this.rate = Math.min(full, this.rate * 1.25 ** (elapsed / WINDOW_MS));
    }
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.rate);
    this.at = now;
  }
}
