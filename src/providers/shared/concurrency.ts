/**
 * At most `limit` holders at once, served in arrival order: `enter()` resolves when a slot is
 * free; every `enter` must be followed by exactly one `leave()`, which hands the slot straight to
 * the next waiter. Vendors bound concurrent requests per account (Google: 429 rateLimitExceeded;
 * Okta: the org's concurrent rate limit).
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  enter(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
