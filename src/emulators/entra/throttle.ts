import type { Faults } from '../core/faults';

/**
 * Identity-and-access throttling (learn.microsoft.com/graph/throttling-limits, "Identity and access
 * service limits"): a token bucket of resource units (RU) per application+tenant pair, refilled
 * over 10 seconds. Budget per 10 s by tenant size: S (< 50 users) 3,500, M (50–500) 5,000,
 * L (> 500) 8,000; `faults.settings.throttle.budget` overrides it. Request costs: GET users 2,
 * GET groups/{id}/members 3, GET groups/{id}/transitiveMembers 5, users/{id}/memberOf 2 (as me/),
 * anything else 1; $select −1, $expand +1, $top < 20 −1; never below 1.
 * Only throttles while `faults.settings.throttle.enabled`; costs are reported either way.
 */
export type TenantSize = 'small' | 'medium' | 'large';

export const BUDGET_PER_10S: Readonly<Record<TenantSize, number>> = { small: 3_500, medium: 5_000, large: 8_000 };
const WINDOW_SECONDS = 10;

export function tenantSizeFor(userCount: number): TenantSize {
  return userCount < 50 ? 'small' : userCount <= 500 ? 'medium' : 'large';
}

/** RU cost of a Graph GET, from its path (after /v1.0) and query options. */
export function requestCost(
  method: string,
  path: string,
  options: { select: boolean; expand: boolean; top: number | null },
): number {
  const segments = path.split('/').filter((s) => s !== '');
  let base = 1;
  if (method === 'GET') {
    if (segments.length === 1 && segments[0] === 'users') base = 2;
    else if (segments[0] === 'groups' && segments[2] === 'members') base = 3;
    else if (segments[0] === 'groups' && segments[2] === 'transitiveMembers') base = 5;
    else if (segments[0] === 'users' && (segments[2] === 'memberOf' || segments[2] === 'transitiveMemberOf')) base = 2;
  }
  let cost = base;
  if (options.select) cost -= 1;
  if (options.expand) cost += 1;
  if (options.top !== null && options.top < 20) cost -= 1;
  return Math.max(1, cost);
}

export type ThrottleDecision =
  | { readonly ok: true; readonly headers: Record<string, string> }
  | { readonly ok: false; readonly retryAfterSeconds: number; readonly headers: Record<string, string> };

export class Throttle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly faults: Faults,
    private readonly size: TenantSize,
    private readonly now: () => number = () => Date.now(),
  ) {}

  budget(): number {
    return this.faults.settings.throttle.budget ?? BUDGET_PER_10S[this.size];
  }

  /** Charges `cost` RU to the app+tenant pair, or refuses with the seconds until it would fit. */
  charge(appId: string, tenantId: string, cost: number): ThrottleDecision {
    const headers: Record<string, string> = { 'x-ms-resource-unit': String(cost) };
    if (!this.faults.settings.throttle.enabled) return { ok: true, headers };
    const capacity = this.budget();
    const rate = capacity / WINDOW_SECONDS;
    const key = `${appId}/${tenantId}`;
    const t = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: t };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.at) / 1000) * rate);
    bucket.at = t;
    this.buckets.set(key, bucket);
    if (bucket.tokens < cost) {
      const retryAfterSeconds = Math.max(1, Math.ceil((cost - bucket.tokens) / rate));
      headers['Retry-After'] = String(retryAfterSeconds);
      headers['x-ms-throttle-scope'] = `Tenant_Application/ReadWrite/${appId}/${tenantId}`;
      headers['x-ms-throttle-information'] = 'ResourceUnitLimitExceeded';
      headers['x-ms-throttle-limit-percentage'] = '1.0';
      return { ok: false, retryAfterSeconds, headers };
    }
    bucket.tokens -= cost;
    const used = (capacity - bucket.tokens) / capacity;
    if (used > 0.8) headers['x-ms-throttle-limit-percentage'] = used.toFixed(1);
    return { ok: true, headers };
  }

  /** Forgets all buckets (every pair starts full again). */
  reset(): void {
    this.buckets.clear();
  }
}
