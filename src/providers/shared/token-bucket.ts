import { systemClock, type Clock } from './clock';
import type { RequestStats } from './request-stats';

/**
 * A FIFO token bucket that may go into debt, and slows down when the vendor throttles anyway
 * (Graph's resource units, Google's queries per minute; their pacing.ts holds the numbers).
 *
 * - `acquire(cost)` takes the tokens at once and waits until the debt is repaid at the current
 *   rate (and any pause is over), so callers are served in arrival order and the long-run rate
 *   never exceeds the budget; it resolves with the instant it let the caller go.
 * - `throttled(pauseMs, factor, sentAt)`: the vendor refused a request sent at `sentAt`. Everyone
 *   waits `pauseMs` from now; debt run up at the old rate is forgiven (repaid at the lower rate it
 *   would stall the queue for minutes); the rate is multiplied by `factor`, never below `minRate`
 *   — but only when the request was sent after the last decrease (an earlier one says nothing new).
 * - Recovery after `recoveryWindowMs` without a refusal: the rate grows by a quarter per window,
 *   prorated over the time elapsed (`continuous`), or by a quarter at most once per window
 *   (`stepwise`); never above the full rate.
 * - `stats`, when given, adds the time each `acquire` held its caller back to `rateLimitWaitMs`.
 */
export interface TokenBucketRules {
  /** Tokens per ms at full speed. */
  readonly fullRate: number;
  /** Tokens the bucket holds at most (and holds at the start). */
  readonly capacity: number;
  /** Tokens per ms the rate never falls below. */
  readonly minRate: number;
  readonly recoveryWindowMs: number;
  readonly recovery: 'continuous' | 'stepwise';
}

const RECOVERY_FACTOR = 1.25;

export class AdaptiveTokenBucket {
  private rate: number;
  private tokens: number;
  private at: number;
  private blockedUntil = 0;
  private lastThrottle = Number.NEGATIVE_INFINITY;
  private lastRaise = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly rules: TokenBucketRules,
    private readonly clock: Clock = systemClock,
    private readonly stats?: RequestStats,
  ) {
    this.rate = rules.fullRate;
    this.tokens = rules.capacity;
    this.at = clock.now();
  }

  /** Current refill rate, tokens per ms. */
  get currentRate(): number {
    return this.rate;
  }

  async acquire(cost: number): Promise<number> {
    this.refill();
    this.tokens -= cost;
    const now = this.clock.now();
    const debtWait = this.tokens < 0 ? -this.tokens / this.rate : 0;
    const wait = Math.max(debtWait, this.blockedUntil - now);
    if (wait <= 0) return this.clock.now();
    await this.clock.sleep(wait);
    const at = this.clock.now();
    if (this.stats) this.stats.rateLimitWaitMs += at - now;
    return at;
  }

  throttled(pauseMs: number, factor: number, sentAt: number): void {
    this.refill();
    const now = this.clock.now();
    this.blockedUntil = Math.max(this.blockedUntil, now + pauseMs);
    this.tokens = 0;
    if (sentAt > this.lastThrottle) {
      this.rate = Math.max(this.rules.minRate, this.rate * factor);
      this.lastThrottle = now;
    }
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = now - this.at;
    if (elapsed <= 0) return;
    const { fullRate, recoveryWindowMs, capacity } = this.rules;
    if (this.rate < fullRate && now - this.lastThrottle > recoveryWindowMs) {
      if (this.rules.recovery === 'continuous') {
        this.rate = Math.min(fullRate, this.rate * RECOVERY_FACTOR ** (elapsed / recoveryWindowMs));
      } else if (now - this.lastRaise > recoveryWindowMs) {
        this.rate = Math.min(fullRate, this.rate * RECOVERY_FACTOR);
        this.lastRaise = now;
      }
    }
    this.tokens = Math.min(capacity, this.tokens + elapsed * this.rate);
    this.at = now;
  }
}
