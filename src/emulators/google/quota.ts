/**
 * Directory API quotas (developers.google.com/admin-sdk/directory/v1/limits), enforced only while
 * `faults.settings.throttle.enabled`:
 *  - queries per minute per user: default 2,400 (`throttle.budget` overrides), a token bucket
 *    per impersonated user that holds one minute's budget and refills continuously
 *    → 403 `userRateLimitExceeded` (the client library does not retry 403s);
 *  - concurrent requests per account (default 20 in flight, `maxConcurrent` option)
 *    → 429 `rateLimitExceeded` (gaxios retries 429 on GET, three times).
 * Rejected requests do not consume budget.
 */

export const DEFAULT_QUERIES_PER_MINUTE = 2400;
export const DEFAULT_MAX_CONCURRENT = 20;

interface Bucket {
  budget: number;
  tokens: number;
  updatedAt: number;
}

export class Quota {
  /** Directory API requests in flight (counted from arrival to the end of the answer). */
  inFlight = 0;
  private readonly buckets = new Map<string, Bucket>();

  constructor(readonly maxConcurrent: number = DEFAULT_MAX_CONCURRENT) {}

  /** True when more requests are in flight than the account may run at once (checked on arrival). */
  overloaded(): boolean {
    return this.inFlight > this.maxConcurrent;
  }

  /** Takes one query from the budget of `user` (the impersonated account) at `now` (ms); false when it is spent. */
  admit(user: string, budget: number | null, now: number): boolean {
    const perMinute = budget ?? DEFAULT_QUERIES_PER_MINUTE;
    let bucket = this.buckets.get(user);
    if (bucket === undefined || bucket.budget !== perMinute) {
      bucket = { budget: perMinute, tokens: perMinute, updatedAt: now };
      this.buckets.set(user, bucket);
    }
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.updatedAt) * perMinute) / 60_000);
    bucket.updatedAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Forgets every user's consumption (a new minute for everyone). */
  reset(): void {
    this.buckets.clear();
  }
}
