/**
 * `POST /api/v1/authn` — the Classic Engine Authentication API, primary authentication with
 * username and password (developer.okta.com/docs/reference/api/authn). Public: no API token.
 *
 *  - Unknown login, wrong or missing password, or a user who cannot sign in (STAGED,
 *    PROVISIONED, SUSPENDED, DEPROVISIONED) → 401 E0000004 "Authentication failed".
 *  - A LOCKED_OUT user (status, or outcome set by a test) → 200 `status: LOCKED_OUT` whatever the
 *    password, with the `unlock` link, as Okta answers locked accounts.
 *  - Correct password: PASSWORD_EXPIRED (status, or outcome) → `PASSWORD_EXPIRED` with a
 *    stateToken; outcome MFA_REQUIRED → `MFA_REQUIRED` with one TOTP factor; else `SUCCESS`
 *    with a one-time `sessionToken`.
 *  - Passwords: none by default; tests set them per user (`setUserPassword`) or for everyone
 *    (`defaultPassword` option). Failed attempts do not lock accounts and no authentication
 *    events are written to the System Log.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OktaContext } from './context';
import { oktaErrors } from './errors';
import { iso, isoOrNull, readJsonObject, sendJson } from './http';
import type { UserRecord } from './mapping';

export type AuthnOutcome = 'SUCCESS' | 'LOCKED_OUT' | 'PASSWORD_EXPIRED' | 'MFA_REQUIRED';

/** Lifetime of a stateToken / sessionToken (Okta: 5 minutes). */
const TRANSACTION_LIFETIME_MS = 5 * 60_000;

/** Passwords and forced outcomes, keyed by Okta user id. */
export class AuthnBook {
  readonly passwords = new Map<string, string>();
  readonly outcomes = new Map<string, AuthnOutcome>();
  constructor(readonly defaultPassword: string | null) {}

  passwordOf(userId: string): string | null {
    return this.passwords.get(userId) ?? this.defaultPassword;
  }
}

function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function embeddedUser(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    passwordChanged: isoOrNull(user.passwordChanged),
    profile: {
      login: user.profile.login,
      firstName: user.profile.firstName,
      lastName: user.profile.lastName,
      locale: 'en_US',
      timeZone: 'America/Los_Angeles',
    },
  };
}

const token = (): string => randomBytes(24).toString('base64url');
const CANNOT_SIGN_IN = new Set(['STAGED', 'PROVISIONED', 'SUSPENDED', 'DEPROVISIONED']);

export async function handleAuthn(
  ctx: OktaContext,
  book: AuthnBook,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readJsonObject(req);
  const username = typeof body.username === 'string' ? body.username : '';
  const password = typeof body.password === 'string' ? body.password : null;
  const user = ctx.directory.userByLogin(username);
  if (user === undefined) throw oktaErrors.authenticationFailed();
  const outcome = book.outcomes.get(user.id) ?? 'SUCCESS';
  const base = `${ctx.org.orgUrl}/api/v1/authn`;
  const expiresAt = iso(Date.now() + TRANSACTION_LIFETIME_MS);

  if (user.status === 'LOCKED_OUT' || outcome === 'LOCKED_OUT') {
    sendJson(res, 200, {
      status: 'LOCKED_OUT',
      _links: { next: { name: 'unlock', href: `${base}/recovery/unlock`, hints: { allow: ['POST'] } } },
    });
    return;
  }
  if (CANNOT_SIGN_IN.has(user.status)) throw oktaErrors.authenticationFailed();
  const expected = book.passwordOf(user.id);
  if (password === null || expected === null || !samePassword(password, expected))
    throw oktaErrors.authenticationFailed();

  if (user.status === 'PASSWORD_EXPIRED' || outcome === 'PASSWORD_EXPIRED') {
    sendJson(res, 200, {
      stateToken: token(),
      expiresAt,
      status: 'PASSWORD_EXPIRED',
      _embedded: {
        user: embeddedUser(user),
        policy: { complexity: { minLength: 8, minLowerCase: 1, minUpperCase: 1, minNumber: 1, minSymbol: 0 } },
      },
      _links: {
        next: { name: 'changePassword', href: `${base}/credentials/change_password`, hints: { allow: ['POST'] } },
        cancel: { href: `${base}/cancel`, hints: { allow: ['POST'] } },
      },
    });
    return;
  }
  if (outcome === 'MFA_REQUIRED') {
    const factorId = `uft${token().slice(0, 17)}`;
    sendJson(res, 200, {
      stateToken: token(),
      expiresAt,
      status: 'MFA_REQUIRED',
      _embedded: {
        user: embeddedUser(user),
        factors: [
          {
            id: factorId,
            factorType: 'token:software:totp',
            provider: 'OKTA',
            vendorName: 'OKTA',
            profile: { credentialId: user.profile.login },
            _links: { verify: { href: `${base}/factors/${factorId}/verify`, hints: { allow: ['POST'] } } },
          },
        ],
        policy: { allowRememberDevice: false, rememberDeviceLifetimeInMinutes: 0, rememberDeviceByDefault: false },
      },
      _links: { cancel: { href: `${base}/cancel`, hints: { allow: ['POST'] } } },
    });
    return;
  }
  sendJson(res, 200, { expiresAt, status: 'SUCCESS', sessionToken: token(), _embedded: { user: embeddedUser(user) } });
}
