/**
 * Okta's rate limits: per-endpoint buckets counted per minute for the whole org, and a limit on
 * concurrent requests (developer.okta.com/docs/reference/rl-global-mgmt, rl-best-practices,
 * help.okta.com "API rate limits").
 *
 *  - Every vendor response carries `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and
 *    `X-Rate-Limit-Reset` (UTC epoch seconds when the bucket's window ends); Node adds `Date`.
 *    The SDK waits `Reset − Date + 1 s` before retrying a 429.
 *  - Counting always happens; enforcement (429 E0000047) only while
 *    `faults.settings.throttle.enabled`. `throttle.budget` (calls per window) overrides every
 *    bucket's limit, as does the `rateLimitPerMinute` start option.
 *  - Windows are fixed and aligned (minute boundaries by default); `windowSeconds` shortens them
 *    so that tests do not wait a minute for a reset.
 *  - Concurrency: more than `concurrencyLimit` requests in flight (Okta: 75 per org for API
 *    traffic) → 429 E0000047 with `X-Rate-Limit-Limit` = the concurrency limit, Remaining 0,
 *    Reset = now + 1 s.
 */
export interface Bucket {
  readonly name: string;
  /** Calls per minute, Okta's Workforce Identity defaults. */
  readonly perMinute: number;
}

const BUCKETS = {
  users: { name: 'GET /api/v1/users', perMinute: 600 },
  user: { name: 'GET /api/v1/users/{idOrLogin}', perMinute: 2000 },
  groups: { name: '/api/v1/groups', perMinute: 500 },
  group: { name: '/api/v1/groups/{id}', perMinute: 1000 },
  logs: { name: '/api/v1/logs', perMinute: 120 },
  authn: { name: '/api/v1/authn', perMinute: 600 },
  /** Approximate: the token endpoint's limit varies by SKU. */
  token: { name: '/oauth2/v1/token', perMinute: 1000 },
  other: { name: '/api/v1', perMinute: 1200 },
} as const satisfies Record<string, Bucket>;

/** The bucket a request counts against (path already normalised, without query). */
export function bucketOf(path: string): Bucket {
  if (path === '/api/v1/users') return BUCKETS.users;
  if (/^\/api\/v1\/users\/[^/]+$/.test(path)) return BUCKETS.user;
  if (/^\/api\/v1\/groups\/[^/]+$/.test(path)) return BUCKETS.group;
  if (path === '/api/v1/groups' || path.startsWith('/api/v1/groups/')) return BUCKETS.groups;
  if (path === '/api/v1/logs') return BUCKETS.logs;
  if (path.startsWith('/api/v1/authn')) return BUCKETS.authn;
  if (path === '/oauth2/v1/token') return BUCKETS.token;
  return BUCKETS.other;
}

export interface RateDecision {
  /** The bucket's X-Rate-Limit-* headers. */
  readonly headers: Record<string, string>;
  /** Over the bucket's limit (enforced by the caller only while throttling is on). */
  readonly exceeded: boolean;
  /** Over the concurrency limit, with the headers a concurrency 429 carries instead. */
  readonly concurrency: { readonly exceeded: boolean; readonly headers: Record<string, string> };
  /** Call when the request has been answered (or dropped). */
  readonly release: () => void;
}

export interface RateLimiterOptions {
  /** Length of a counting window; default 60 s. Must be a whole number of seconds. */
  readonly windowSeconds: number;
  /** Overrides every bucket's limit (start option `rateLimitPerMinute`). */
  readonly limitOverride: number | null;
  readonly concurrencyLimit: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private inFlight = 0;

  constructor(
    private readonly options: RateLimiterOptions,
    private readonly budget: () => number | null,
  ) {}

  /** Counts a request against its bucket and the concurrency limit. */
  admit(bucket: Bucket, now = Date.now()): RateDecision {
    this.inFlight++;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        this.inFlight--;
      }
    };
    const windowMs = this.options.windowSeconds * 1000;
    const start = Math.floor(now / windowMs) * windowMs;
    let window = this.windows.get(bucket.name);
    if (window === undefined || window.start !== start) this.windows.set(bucket.name, (window = { start, count: 0 }));
    window.count++;
    const limit = this.budget() ?? this.options.limitOverride ?? bucket.perMinute;
    return {
      exceeded: window.count > limit,
      release,
      headers: {
        'X-Rate-Limit-Limit': String(limit),
        'X-Rate-Limit-Remaining': String(Math.max(0, limit - window.count)),
        'X-Rate-Limit-Reset': String((start + windowMs) / 1000),
      },
      concurrency: {
        exceeded: this.inFlight > this.options.concurrencyLimit,
        headers: {
          'X-Rate-Limit-Limit': String(this.options.concurrencyLimit),
          'X-Rate-Limit-Remaining': '0',
          'X-Rate-Limit-Reset': String(Math.ceil(now / 1000) + 1),
        },
      },
    };
  }
}
