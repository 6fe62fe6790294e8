/**
 * Client-side pacing for the Directory API, so a healthy sync stays under Google's quotas instead
 * of bouncing off them (developers.google.com/admin-sdk/directory/v1/limits, providers.md §B.1):
 *  - "Queries per minute per user" (default 2,400; exceeded → 403 userRateLimitExceeded): a token
 *    bucket refilled continuously at `queriesPerMinute`, holding at most `BURST_SECONDS` of it;
 *  - concurrent requests per account (exceeded → 429 rateLimitExceeded, limit not published,
 *    cannot be raised): at most `maxConcurrency` requests in flight.
 *
 * Contracts:
 * - `acquire()` resolves when the caller may send one request, in arrival order; the caller must
 *   `release()` the slot when the answer (or the failure) is in.
 * - `throttled(sentAt, pauseMs)`: Google said "too fast" anyway (another tool shares the quota, or
 *   the project's quota is lower than configured). Everyone waits `pauseMs`; the rate is halved (only once per burst of
 *   rejections: a request sent before the last decrease says nothing new), never below 1/10 of
 *   the configured rate; each full minute without a rejection raises it by a quarter again.
 */

/** Tokens the bucket holds at most: a few seconds of the rate (Google's quota bucket holds a minute). */
const BURST_SECONDS = 5;
const MIN_SHARE = 0.1;
const RECOVERY_WINDOW_MS = 60_000;

export interface PaceClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: PaceClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class Pace {
  private readonly fullRate: number;
  private rate: number;
  /** May go negative: the debt queued callers repay at the current rate (FIFO). */
  private tokens: number;
  private at: number;
  private blockedUntil = 0;
  private lastThrottle = Number.NEGATIVE_INFINITY;
  private lastRaise = Number.NEGATIVE_INFINITY;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** Requests let through and rejections reported, for reports and benchmarks. */
  sent = 0;
  throttles = 0;

  constructor(
    queriesPerMinute: number,
    private readonly maxConcurrency: number,
    private readonly clock: PaceClock = systemClock,
  ) {
    this.fullRate = queriesPerMinute / 60_000;
    this.rate = this.fullRate;
    this.tokens = this.capacity();
    this.at = clock.now();
  }

  /** Current pace in queries per minute. */
  get queriesPerMinute(): number {
    return this.rate * 60_000;
  }

  /** Waits for a concurrency slot, then for the bucket; returns the instant the request may go. */
  async acquire(): Promise<number> {
    if (this.inFlight >= this.maxConcurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inFlight++;
    this.refill();
    this.tokens -= 1;
    const now = this.clock.now();
    const wait = Math.max(this.tokens < 0 ? -this.tokens / this.rate : 0, this.blockedUntil - now);
    if (wait > 0) await this.clock.sleep(wait);
    this.sent++;
    return this.clock.now();
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes straight to the next waiter
    else this.inFlight--;
  }

  /** A request sent at `sentAt` was refused for quota; everyone waits `pauseMs` from now. */
  throttled(sentAt: number, pauseMs: number): void {
    this.throttles++;
    this.refill();
    const now = this.clock.now();
    this.blockedUntil = Math.max(this.blockedUntil, now + pauseMs);
    // Debt run up at the old rate is forgiven: repaid at the lower rate it would stall everyone.
    this.tokens = 0;
    if (sentAt > this.lastThrottle) {
      this.rate = Math.max(this.fullRate * MIN_SHARE, this.rate / 2);
      this.lastThrottle = now;
    }
  }

  private capacity(): number {
    return Math.max(1, this.fullRate * BURST_SECONDS * 1000);
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = now - this.at;
    if (elapsed <= 0) return;
    if (this.rate < this.fullRate && now - this.lastThrottle > RECOVERY_WINDOW_MS && now - this.lastRaise > RECOVERY_WINDOW_MS) {
      this.rate = Math.min(this.fullRate, this.rate * 1.25);
      this.lastRaise = now;
    }
    this.tokens = Math.min(this.capacity(), this.tokens + elapsed * this.rate);
    this.at = now;
  }
}
