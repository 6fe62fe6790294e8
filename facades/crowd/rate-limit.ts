/**
 * A fixed-window failure counter: after `limit` failures for a key within `windowMs`, the key is
 * blocked until the window that saw the first failure ends. Bounded: at most `maxKeys` keys are
 * tracked, the oldest dropped first. In memory, per process.
 *
 * Used for (documented in the README section):
 * - application logins: key = client address; 10 failures a minute → further attempts from that
 *   address answer 401 at once, without checking the password (Crowd's status is kept: 401);
 * - user password checks: key = username + client address; 5 failures a minute → 400
 *   INVALID_USER_AUTHENTICATION without asking the identity provider.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  blocked(key: string): boolean {
    const window = this.current(key);
    return window !== undefined && window.failures >= this.limit;
  }

  fail(key: string): void {
    const window = this.current(key);
    if (window) {
      window.failures += 1;
      return;
    }
    if (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
    this.windows.set(key, { start: this.now(), failures: 1 });
  }

  succeed(key: string): void {
    this.windows.delete(key);
  }

  private current(key: string): { start: number; failures: number } | undefined {
    const window = this.windows.get(key);
    if (window && this.now() - window.start >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }
}
