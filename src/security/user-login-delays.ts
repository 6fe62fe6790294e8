import { reservation, type FailureRecord, type FailureSink, type LimitCounters, type Reservation } from './reservation';

export interface UserLoginDelayOptions {
  /** Failures before delays begin, per key of an end-user source (familiar, or the unfamiliar pool). Default 5. */
  readonly threshold?: number;
  /** Failures before delays begin when the source is the relaying product's own address. Default 20. */
  readonly relayThreshold?: number;
  /** The first delay, after the threshold-th failure; each further failure doubles it. Default 1 s. */
  readonly firstDelayMs?: number;
  /** The longest delay. Default 60 s. */
  readonly maxDelayMs?: number;
  /** A key's failures are forgotten this long after its last one. Default 15 minutes. */
  readonly forgetAfterMs?: number;
  /** A source stays familiar for a user this long after its last success. Default 30 days. */
  readonly familiarForMs?: number;
  /** Keys with failures kept at most (the least recently failing is dropped first). Default 100,000. */
  readonly maxKeys?: number;
  /** Familiar (user, source) pairs kept at most (least recently successful dropped first). Default 100,000. */
  readonly maxFamiliar?: number;
  readonly now?: () => number;
  /** Told of every change of a key's failures (shared with other processes; see `absorb`). */
  readonly sink?: FailureSink;
}

/** Where a password attempt comes from, as the facade knows it. */
export interface UserSource {
  /** The end user's address (from the session's validation factors), or the calling application's. */
  readonly address: string;
  /** True when no end-user address is known: the product relays its users from its own address. */
  readonly relay: boolean;
}

export type UserAdmission =
  | { readonly admitted: true; readonly reservation: Reservation }
  | { readonly admitted: false; readonly retryAfterMs: number };

export interface UserLimitCounters extends LimitCounters {
  /** (username, source) pairs remembered as familiar. */
  readonly familiarSources: number;
}

interface DelayState {
  readonly threshold: number;
  /** Failures since the last success (or since they were forgotten). */
  failures: number;
  /** Checks reserved and not settled yet. */
  inFlight: number;
  /** No check before this time (after the threshold). */
  notBefore: number;
  lastFailure: number;
}

/**
 * Failed user password checks (POST /authentication, POST /session), with progressive delays
 * instead of a lockout, after Entra ID's smart lockout and Okta's familiar-location rules:
 *
 * - Keys. A source that has succeeded for the user before (familiar, remembered 30 days) has a
 *   key and a budget of its own. Every other end-user source of that user shares one key, "the
 *   unfamiliar sources", so strangers cannot exhaust a familiar source's budget, and sending
 *   from many addresses does not multiply the guesses. When no end-user address is known (the
 *   product relays its login form, as Jira does through POST /authentication) the key is the
 *   product's address, with a much higher threshold: every user of that product comes from it.
 * - Budget. A check is reserved before the identity provider is asked, so up to `threshold`
 *   checks run (concurrently or not); after that only one at a time, and only once the delay has
 *   passed: 1 s after the threshold-th failure, doubling with each further failure up to 60 s.
 *   An attempt refused in between is answered at once, without asking the provider.
 * - Reset. A success clears the key (the unfamiliar pool excepted: its failures may be someone
 *   else's; the successful source becomes familiar instead). Failures are forgotten 15 minutes
 *   after the last one. Outcomes that say nothing about the password (unknown user, provider
 *   unavailable) give the slot back.
 *
 * Bounded: at most `maxKeys` keys with failures and `maxFamiliar` familiar pairs, in memory.
 * Usernames are expected folded (case-insensitive names).
 */
export class UserLoginDelays {
  private readonly states = new Map<string, DelayState>();
  /** `key(user, address)` → when the pair stops being familiar; Map order = least recently successful first. */
  private readonly familiar = new Map<string, number>();
  private readonly threshold: number;
  private readonly relayThreshold: number;
  private readonly firstDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly forgetAfterMs: number;
  private readonly familiarForMs: number;
  private readonly maxKeys: number;
  private readonly maxFamiliar: number;
  private readonly now: () => number;
  private readonly sink: FailureSink | undefined;
  private checked = 0;
  private refused = 0;
  private failed = 0;
  private succeeded = 0;

  constructor(options: UserLoginDelayOptions = {}) {
    this.sink = options.sink;
    this.threshold = options.threshold ?? 5;
    this.relayThreshold = options.relayThreshold ?? 20;
    this.firstDelayMs = options.firstDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 15 * 60_000;
    this.familiarForMs = options.familiarForMs ?? 30 * 24 * 60 * 60_000;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.maxFamiliar = options.maxFamiliar ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** Reserves a provider check of `username`'s password from `source`, or says how long to wait. */
  reserve(username: string, source: UserSource): UserAdmission {
    const { key, threshold, pool } = this.keyOf(username, source);
    const now = this.now();
    const state = this.current(key, now) ?? this.create(key, threshold);
    const underThreshold = state.failures + state.inFlight < state.threshold;
    if (!underThreshold && (state.inFlight > 0 || now < state.notBefore)) {
      this.refused += 1;
      return { admitted: false, retryAfterMs: Math.max(state.notBefore - now, this.firstDelayMs) };
    }
    state.inFlight += 1;
    this.checked += 1;
    const admitted = reservation((outcome) => {
      state.inFlight -= 1;
      if (outcome === 'succeed') {
        this.succeeded += 1;
        if (!source.relay) this.rememberFamiliar(username, source.address);
        if (!pool && state.failures > 0) {
          state.failures = 0;
          this.sink?.(key, { failures: 0, at: this.now(), notBefore: 0 });
        }
      } else if (outcome === 'fail') {
        this.failed += 1;
        const at = this.now();
        state.failures += 1;
        state.lastFailure = at;
        if (state.failures >= state.threshold) state.notBefore = at + this.delayAfter(state.failures - state.threshold);
        // Most recently failing last: eviction takes the quietest key first.
        if (this.states.get(key) === state) this.states.delete(key);
        this.states.set(key, state);
        this.sink?.(key, { failures: state.failures, at, notBefore: state.notBefore });
      }
      this.dropIfIdle(key, state);
    });
    return { admitted: true, reservation: admitted };
  }

  /**
   * Takes over a key's failures as another process recorded them (its `sink`): the newer record
   * wins (by `at`), so a success elsewhere clears the key here and a failure elsewhere counts here.
   */
  absorb(key: string, record: FailureRecord): void {
    const state =
      this.states.get(key) ?? this.create(key, key.startsWith(RELAY_PREFIX) ? this.relayThreshold : this.threshold);
    if (record.at < state.lastFailure) return;
    state.failures = record.failures;
    state.lastFailure = record.at;
    state.notBefore = record.notBefore;
    this.dropIfIdle(key, state);
  }

  /** True when `address` has succeeded for `username` within the familiar period. */
  isFamiliar(username: string, address: string): boolean {
    const key = pairKey(username, address);
    const until = this.familiar.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.familiar.delete(key);
    return false;
  }

  counters(): UserLimitCounters {
    const now = this.now();
    let blocked = 0;
    for (const [key, state] of this.states) {
      if (this.current(key, now) !== undefined && state.failures >= state.threshold && now < state.notBefore)
        blocked += 1;
    }
    const { checked, refused, failed, succeeded } = this;
    return { checked, refused, failed, succeeded, blocked, familiarSources: this.familiar.size };
  }

  /** The delay after `extra` failures beyond the threshold: firstDelay · 2^extra, capped. */
  private delayAfter(extra: number): number {
    return Math.min(this.firstDelayMs * 2 ** Math.min(extra, 30), this.maxDelayMs);
  }

  private keyOf(username: string, source: UserSource): { key: string; threshold: number; pool: boolean } {
    if (source.relay)
      return {
        key: `${RELAY_PREFIX}${pairKey(username, source.address)}`,
        threshold: this.relayThreshold,
        pool: false,
      };
    if (this.isFamiliar(username, source.address))
      return { key: `familiar ${pairKey(username, source.address)}`, threshold: this.threshold, pool: false };
    return { key: `unfamiliar ${pairKey(username, '')}`, threshold: this.threshold, pool: true };
  }

  private current(key: string, now: number): DelayState | undefined {
    const state = this.states.get(key);
    if (state === undefined) return undefined;
    if (state.failures > 0 && state.inFlight === 0 && now - state.lastFailure >= this.forgetAfterMs) state.failures = 0;
    return this.dropIfIdle(key, state) ? undefined : state;
  }

  private create(key: string, threshold: number): DelayState {
    if (this.states.size >= this.maxKeys) {
      const oldest = this.states.keys().next();
      if (oldest.done !== true) this.states.delete(oldest.value);
    }
    const state: DelayState = { threshold, failures: 0, inFlight: 0, notBefore: 0, lastFailure: 0 };
    this.states.set(key, state);
    return state;
  }

  private dropIfIdle(key: string, state: DelayState): boolean {
    if (state.failures > 0 || state.inFlight > 0) return false;
    if (this.states.get(key) === state) this.states.delete(key);
    return true;
  }

  private rememberFamiliar(username: string, address: string): void {
    const key = pairKey(username, address);
    this.familiar.delete(key);
    this.familiar.set(key, this.now() + this.familiarForMs);
    while (this.familiar.size > this.maxFamiliar) {
      const oldest = this.familiar.keys().next();
      if (oldest.done === true) break;
      this.familiar.delete(oldest.value);
    }
  }
}

const RELAY_PREFIX = 'relay ';

/** Unambiguous for any username and address: the username's length comes first. */
function pairKey(username: string, address: string): string {
  return `${username.length}:${username} ${address}`;
}
