import { reservation, type FailureRecord, type FailureSink, type LimitCounters, type Reservation } from './reservation';

export interface ApplicationLoginLimitOptions {
  /** Failed checks per address and window before unproven credentials are refused. Default 10. */
  readonly failures?: number;
  /** The window, from the first failure in it. Default one minute. */
  readonly windowMs?: number;
  /** Addresses tracked at most; the least recently failing is dropped first. Default 10,000. */
  readonly maxKeys?: number;
  readonly now?: () => number;
  /** Told of every failure counted (shared with other processes; see `absorb`). */
  readonly sink?: FailureSink;
}

export interface ApplicationLimitCounters extends LimitCounters {
  /** Known-good credentials accepted, without a check, from an address over its budget. */
  readonly acceptedWhileBlocked: number;
}

interface Window {
  /** When the first failure of the window happened (meaningless while `failures` is 0). */
  start: number;
  failures: number;
  /** Checks reserved and not settled yet. */
  inFlight: number;
}

/**
 * Failed application logins (the application's HTTP Basic credentials) per client address, in a fixed window:
 * at most `failures` checks may fail per address and window. A check is reserved before the
 * password is verified and counted as a failure while it runs, so a concurrent burst gets exactly
 * `failures` verifications and the rest answer 401 at once, without one; the budget only frees
 * up when a check succeeds or the window ends. Successes do not reset the count (the product's
 * own logins must not refill an attacker's budget at the same address).
 *
 * The limit only governs *unproven* credentials: the caller (facades/crowd/application-auth.ts)
 * lets a blocked address through with a credential that already verified (the connection's own
 * memo, or the verified-password cache's `knownGood`), so failures sent from Jira's address do
 * not lock Jira out. Only addresses some application allows reach the limit (the allow-list
 * comes first, 403); unknown application names are not counted (no password is checked).
 * Bounded: at most `maxKeys` addresses.
 */
export class ApplicationLoginLimit {
  private readonly windows = new Map<string, Window>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly sink: FailureSink | undefined;
  private checked = 0;
  private refused = 0;
  private failed = 0;
  private succeeded = 0;
  private acceptedWhileBlocked = 0;

  constructor(options: ApplicationLoginLimitOptions = {}) {
    this.limit = options.failures ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
    this.sink = options.sink;
  }

  /** A reserved check for `address`, or undefined (counted as refused) when its budget is used up. */
  reserve(address: string): Reservation | undefined {
    const window = this.current(address) ?? this.create(address);
    if (window.failures + window.inFlight >= this.limit) {
      this.refused += 1;
      this.dropIfIdle(address, window);
      return undefined;
    }
    window.inFlight += 1;
    this.checked += 1;
    return reservation((outcome) => {
      window.inFlight -= 1;
      if (outcome === 'succeed') this.succeeded += 1;
      if (outcome === 'fail') {
        this.failed += 1;
        this.roll(window);
        if (window.failures === 0) window.start = this.now();
        window.failures += 1;
        // Most recently failing last: eviction takes the quietest address first.
        if (this.windows.get(address) === window) this.windows.delete(address);
        this.windows.set(address, window);
        this.sink?.(address, { failures: window.failures, at: window.start, notBefore: 0 });
      }
      this.dropIfIdle(address, window);
    });
  }

  /**
   * Takes over an address's failures as another process recorded them (its `sink`): a newer
   * window replaces this one; within the same window the larger count wins.
   */
  absorb(address: string, record: FailureRecord): void {
    if (this.now() - record.at >= this.windowMs) return;
    const window = this.current(address) ?? this.create(address);
    if (record.at > window.start || window.failures === 0) {
      window.start = record.at;
      window.failures = record.failures;
    } else if (record.at === window.start) {
      window.failures = Math.max(window.failures, record.failures);
    }
    this.dropIfIdle(address, window);
  }

  /** True while `address` has used up its failures for the window. */
  blocked(address: string): boolean {
    const window = this.current(address);
    return window !== undefined && window.failures >= this.limit;
  }

  /** Records that a known-good credential from `address` was accepted without a check. */
  acceptedKnownGood(address: string): void {
    if (this.blocked(address)) this.acceptedWhileBlocked += 1;
  }

  counters(): ApplicationLimitCounters {
    let blocked = 0;
    for (const [address] of this.windows) if (this.blocked(address)) blocked += 1;
    const { checked, refused, failed, succeeded, acceptedWhileBlocked } = this;
    return { checked, refused, failed, succeeded, blocked, acceptedWhileBlocked };
  }

  private current(address: string): Window | undefined {
    const window = this.windows.get(address);
    if (window === undefined) return undefined;
    this.roll(window);
    if (this.dropIfIdle(address, window)) return undefined;
    return window;
  }

  /** Starts a new window once the old one is over; checks still running keep their slots. */
  private roll(window: Window): void {
    if (window.failures > 0 && this.now() - window.start >= this.windowMs) window.failures = 0;
  }

  private create(address: string): Window {
    if (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next();
      if (oldest.done !== true) this.windows.delete(oldest.value);
    }
    const window: Window = { start: this.now(), failures: 0, inFlight: 0 };
    this.windows.set(address, window);
    return window;
  }

  private dropIfIdle(address: string, window: Window): boolean {
    if (window.failures > 0 || window.inFlight > 0) return false;
    if (this.windows.get(address) === window) this.windows.delete(address);
    return true;
  }
}
