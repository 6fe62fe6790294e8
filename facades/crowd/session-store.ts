import { randomBytes } from 'node:crypto';
import { foldName } from '../../src/domain/names';

/** One SSO session. `username` is the canonical stored name. */
export interface Session {
  readonly token: string;
  readonly username: string;
  /** Validation factors, canonical (sorted `name=value` lines); the reuse key with the user. */
  readonly factors: string;
  readonly createdAt: Date;
  expiresAt: Date;
  /** Lifetime granted at creation (ms); renewals extend by this much. */
  readonly ttlMs: number;
}

export interface SessionStoreOptions {
  /** Default and maximum session lifetime (Crowd's session timeout). */
  readonly maxTtlMs: number;
  /** Bound on live sessions; the oldest is dropped first when full. */
  readonly maxSessions: number;
  readonly now?: () => number;
}

/**
 * The SSO sessions the facade works with: this process's SessionStore (`localSessions`), or the
 * primary's when crowdgate runs serving workers (src/server/cluster/), so a token made on one
 * worker is valid on all. Asynchronous for that reason; sessions come back as plain copies.
 */
export interface Sessions {
  open(username: string, factors: string, durationSeconds?: number): Promise<{ session: Session; reused: boolean }>;
  get(token: string): Promise<Session | undefined>;
  renew(token: string): Promise<Session | undefined>;
  remove(token: string): Promise<void>;
  removeUser(username: string, exclude?: string): Promise<void>;
}

/** A SessionStore of this process as Sessions. */
export function localSessions(store: SessionStore): Sessions {
  return {
    open: async (username, factors, durationSeconds) => store.open(username, factors, durationSeconds),
    get: async (token) => store.get(token),
    renew: async (token) => store.renew(token),
    remove: async (token) => store.remove(token),
    removeUser: async (username, exclude) => store.removeUser(username, exclude),
  };
}

/** Crowd's default session timeout, 30 minutes. */
export const DEFAULT_SESSION_TTL_MS = 30 * 60_000;
const DEFAULT_SESSION_OPTIONS: SessionStoreOptions = { maxTtlMs: DEFAULT_SESSION_TTL_MS, maxSessions: 100_000 };

/**
 * SSO sessions, in memory of this process: a bounded map with expiry. With serving workers the
 * primary holds the one store all workers use. Sessions are lost on restart and not shared
 * between separate crowdgate instances (documented). Tokens are 24
 * random bytes (192 bits) in base64url: URL-safe, so they travel unchanged as a path segment.
 * A request for a session with the same user and factors as a live one returns that one
 * ("If an ongoing session exists for the same credentials and factors, that token is returned").
 */
export class SessionStore {
  private readonly byToken = new Map<string, Session>();
  private readonly byReuseKey = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly options: SessionStoreOptions = DEFAULT_SESSION_OPTIONS) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.byToken.size;
  }

  /** A live session for the user and factors, reused or new. `durationSeconds` is capped by the maximum. */
  open(username: string, factors: string, durationSeconds?: number): { session: Session; reused: boolean } {
    const key = reuseKey(username, factors);
    const existing = this.get(this.byReuseKey.get(key) ?? '');
    if (existing) return { session: existing, reused: true };
    const ttlMs = Math.min(
      this.options.maxTtlMs,
      durationSeconds && durationSeconds > 0 ? durationSeconds * 1000 : this.options.maxTtlMs,
    );
    const now = this.now();
    const session: Session = {
      token: randomBytes(24).toString('base64url'),
      username,
      factors,
      createdAt: new Date(now),
      expiresAt: new Date(now + ttlMs),
      ttlMs,
    };
    while (this.byToken.size >= this.options.maxSessions) {
      const oldest = this.byToken.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
    this.byToken.set(session.token, session);
    this.byReuseKey.set(key, session.token);
    return { session, reused: false };
  }

  /** The live session of a token; an expired one is dropped and undefined returned. */
  get(token: string): Session | undefined {
    const session = this.byToken.get(token);
    if (!session) return undefined;
    if (session.expiresAt.getTime() <= this.now()) {
      this.remove(token);
      return undefined;
    }
    return session;
  }

  /** Extends a live session by its lifetime; undefined when unknown or expired. */
  renew(token: string): Session | undefined {
    const session = this.get(token);
    if (session) session.expiresAt = new Date(this.now() + session.ttlMs);
    return session;
  }

  remove(token: string): void {
    const session = this.byToken.get(token);
    if (!session) return;
    this.byToken.delete(token);
    const key = reuseKey(session.username, session.factors);
    if (this.byReuseKey.get(key) === token) this.byReuseKey.delete(key);
  }

  /** Removes every session of a user (case-insensitive), except `exclude`. */
  removeUser(username: string, exclude?: string): void {
    const folded = foldName(username);
    for (const [token, session] of [...this.byToken]) {
      if (token !== exclude && foldName(session.username) === folded) this.remove(token);
    }
  }
}

function reuseKey(username: string, factors: string): string {
  return `${foldName(username)}\n${factors}`;
}

/** Validation factors in a canonical form: sorted `name=value` lines. */
export function canonicalFactors(factors: ReadonlyArray<{ name: string; value: string }>): string {
  return factors
    .map((f) => `${f.name}=${f.value}`)
    .sort()
    .join('\n');
}
