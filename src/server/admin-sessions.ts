import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store';
import { tokenDigest } from '../security/token-digest';

/** The console's session cookie. */
export const SESSION_COOKIE = 'crowdgate_session';
/** The header a cookie-authenticated mutation must carry, with the session's CSRF token. */
export const CSRF_HEADER = 'x-crowdgate-csrf';
/** A console session ends this long after sign-in (a working day), or at sign-out, or when its token goes. */
export const SESSION_LIFETIME_MS = 8 * 60 * 60_000;

export interface OpenedSession {
  /** The cookie value: 256 random bits, stored only as SHA-256. */
  readonly id: string;
  /** Sent back by the console in CSRF_HEADER on every mutation; stored only as SHA-256. */
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export interface ResolvedSession {
  readonly digest: string;
  readonly tokenName: string;
  readonly expiresAt: Date;
  /** Whether the request's CSRF header matches the session's token. */
  readonly csrfVerified: boolean;
}

/**
 * Console sessions: an administrator token exchanged (through GraphQL `createSession`) for an
 * HttpOnly, SameSite=Strict cookie, so the console never keeps the token in script-readable
 * storage. Sessions live in the store (every serving process knows them) as digests; each
 * request re-checks that the token it stands for still exists (a revoked token ends its sessions).
 * Mutations through a cookie need the session's CSRF token in a header (double-submit: another
 * site can neither read it nor set the header without a preflight) — SameSite=Strict already keeps
 * the cookie off cross-site requests; the header makes that independent of the browser.
 */
export class AdminSessions {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
    private readonly lifetimeMs = SESSION_LIFETIME_MS,
  ) {}

  async open(tokenName: string): Promise<OpenedSession> {
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now + this.lifetimeMs);
    await this.store.createAdminSession({
      digest: hex(id),
      tokenName,
      csrfDigest: hex(csrfToken),
      createdAt: new Date(now),
      expiresAt,
    });
    return { id, csrfToken, expiresAt };
  }

  /** The session a cookie value stands for, if it exists and has not expired. */
  async resolve(id: string, csrfHeader: string | undefined): Promise<ResolvedSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    const found = await this.store.findAdminSession(hex(id));
    if (!found || found.expiresAt.getTime() <= this.now()) return null;
    const csrfVerified =
      csrfHeader !== undefined && timingSafeEqual(tokenDigest(csrfHeader), Buffer.from(found.csrfDigest, 'hex'));
    return { digest: found.digest, tokenName: found.tokenName, expiresAt: found.expiresAt, csrfVerified };
  }

  async end(digest: string): Promise<void> {
    await this.store.deleteAdminSession(digest);
  }
}

/** `Set-Cookie` for a session (Secure when the request came over HTTPS). */
export function sessionCookie(id: string, expiresAt: Date, path: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=${path}; Expires=${expiresAt.toUTCString()}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** `Set-Cookie` that removes the session cookie. */
export function clearedSessionCookie(path: string, secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=${path}; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The session cookie's value in a Cookie header, if any. */
export function sessionIdIn(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

function hex(text: string): string {
  return tokenDigest(text).toString('hex');
}
