import { randomBytes } from 'node:crypto';
import type { DelegationRegistry } from './delegation';
import { oauthError, type OAuthError } from './errors';
import { parseJwt, verifyRs256 } from './jwt';
import type { ServiceAccount } from './service-account';

/**
 * The OAuth 2.0 token endpoint for the JWT-bearer grant (`POST /token`, what the client library
 * posts to https://oauth2.googleapis.com/token), and the store of the access tokens it issues.
 *
 * Checks, in Google's order, with Google's error codes and descriptions:
 *  grant_type / assertion present → iss is a known service account → RS256 signature with that
 *  account's key (and `kid`, when sent, is its private_key_id) → aud is Google's token URL →
 *  iat/exp a ≤ 60-minute window around now → scope present → sub is an active user of the
 *  domain → every scope delegated to the account's client id.
 */

/** Audiences Google accepts in an assertion (the library uses the first). */
export const GOOGLE_TOKEN_AUDIENCES: readonly string[] = [
  'https://oauth2.googleapis.com/token',
  'https://www.googleapis.com/oauth2/v4/token',
  'https://accounts.google.com/o/oauth2/token',
];
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google's rule: the assertion may live at most one hour. */
const MAX_ASSERTION_SECONDS = 3600;
/** Clock skew tolerated on iat/exp. */
const SKEW_SECONDS = 300;
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

export const ERR = {
  badSignature: 'Invalid JWT Signature.',
  accountNotFound: 'Invalid grant: account not found',
  badAudience: `Invalid JWT: Failed audience check. The right audience is ${GOOGLE_TOKEN_AUDIENCES[0]}`,
  badTime:
    'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
  badScope: 'Invalid OAuth scope or ID token audience provided.',
  unknownSubject: 'Invalid email or User ID',
  notDelegated:
    'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
} as const;

/** What an access token stands for. */
export interface IssuedToken {
  readonly clientId: string;
  /** Tenant id of the impersonated user; null when the service account acts as itself (no `sub`). */
  readonly subjectId: string | null;
  readonly scopes: ReadonlySet<string>;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export class AccessTokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  private issuedSincePrune = 0;

  issue(token: Omit<IssuedToken, 'expiresAt'>, lifetimeSeconds: number): string {
    if (++this.issuedSincePrune >= 1000) this.prune(token.issuedAt);
    const value = `ya29.c.${randomBytes(48).toString('base64url')}`;
    this.tokens.set(value, { ...token, expiresAt: token.issuedAt + lifetimeSeconds * 1000 });
    return value;
  }

  /** The token's grant when it is known, unexpired and not issued before `revokedBefore` (epoch ms); null otherwise. */
  check(value: string, now: number, revokedBefore: number | null): IssuedToken | null {
    const token = this.tokens.get(value);
    if (token === undefined || token.expiresAt <= now) return null;
    if (revokedBefore !== null && token.issuedAt < revokedBefore) return null;
    return token;
  }

  private prune(now: number): void {
    this.issuedSincePrune = 0;
    for (const [value, token] of this.tokens) if (token.expiresAt <= now) this.tokens.delete(value);
  }
}

export interface TokenContext {
  readonly accounts: ReadonlyMap<string, ServiceAccount>;
  readonly delegation: DelegationRegistry;
  readonly tokens: AccessTokenStore;
  /** Tenant id of the active (not suspended or archived) domain user with this primary email or alias; null otherwise. */
  resolveSubject(email: string): string | null;
  lifetimeSeconds(): number;
  now(): number;
}

export interface TokenResponse {
  readonly access_token: string;
  readonly expires_in: number;
  readonly token_type: 'Bearer';
}

/** Answers one token request (its form fields); never throws. */
export function grantToken(
  form: URLSearchParams,
  ctx: TokenContext,
): { status: 200; body: TokenResponse } | OAuthError {
  const grantType = form.get('grant_type');
  if (grantType === null) return oauthError(400, 'invalid_request', 'Missing required parameter: grant_type');
  if (grantType !== JWT_BEARER) return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
  const assertion = form.get('assertion');
  if (assertion === null || assertion === '')
    return oauthError(400, 'invalid_request', 'Missing required parameter: assertion');

  const jwt = parseJwt(assertion);
  if (jwt === null) return oauthError(400, 'invalid_grant', ERR.badSignature);
  const { claims } = jwt;
  const account = typeof claims.iss === 'string' ? ctx.accounts.get(claims.iss) : undefined;
  if (account === undefined) return oauthError(400, 'invalid_grant', ERR.accountNotFound);
  if (jwt.header.kid !== undefined && jwt.header.kid !== account.key.private_key_id) {
    return oauthError(400, 'invalid_grant', ERR.badSignature);
  }
  if (!verifyRs256(jwt, account.publicKey)) return oauthError(400, 'invalid_grant', ERR.badSignature);
  if (typeof claims.aud !== 'string' || !GOOGLE_TOKEN_AUDIENCES.includes(claims.aud)) {
    return oauthError(400, 'invalid_grant', ERR.badAudience);
  }
  const nowSeconds = Math.floor(ctx.now() / 1000);
  const { iat, exp } = claims;
  if (
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    exp <= iat ||
    exp - iat > MAX_ASSERTION_SECONDS ||
    iat > nowSeconds + SKEW_SECONDS ||
    exp < nowSeconds - SKEW_SECONDS
  ) {
    return oauthError(400, 'invalid_grant', ERR.badTime);
  }
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter((s) => s !== '') : [];
  if (scopes.length === 0) return oauthError(400, 'invalid_scope', ERR.badScope);

  let subjectId: string | null = null;
  if (claims.sub !== undefined) {
    subjectId = typeof claims.sub === 'string' ? ctx.resolveSubject(claims.sub) : null;
    if (subjectId === null) return oauthError(400, 'invalid_grant', ERR.unknownSubject);
    // Domain-wide delegation is needed to impersonate; Google answers 401 here.
    if (!ctx.delegation.allows(account.key.client_id, scopes))
      return oauthError(401, 'unauthorized_client', ERR.notDelegated);
  }

  const lifetime = ctx.lifetimeSeconds();
  const accessToken = ctx.tokens.issue(
    { clientId: account.key.client_id, subjectId, scopes: new Set(scopes), issuedAt: ctx.now() },
    lifetime,
  );
  return { status: 200, body: { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' } };
}
