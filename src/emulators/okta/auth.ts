/**
 * Credentials of the emulated org and the authentication of Management API calls.
 *
 *  - `Authorization: SSWS <api token>`: unknown or revoked → 401 E0000011 "Invalid token
 *    provided"; a token whose admin has no admin role → 403 E0000006. Tokens act with read-only
 *    admin rights (every endpoint served here is a read).
 *  - `Authorization: Bearer <access token>` from `POST /oauth2/v1/token` (see oauth.ts): expired
 *    (after `faults.settings.tokenLifetimeSeconds`, default 3600 s) or issued before
 *    `faults.settings.revokeTokensBefore` → 401 E0000011 with `WWW-Authenticate: Bearer …
 *    error="invalid_token"` (the SDK then fetches a new token and retries once); a token without
 *    the endpoint's scope → 403 E0000006 with `error="insufficient_scope"`.
 *  - No Authorization header → 401 E0000005 "Invalid session".
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Faults } from '../core/faults';
import { oktaErrors } from './errors';
import { randomOktaId } from './ids';

/** OAuth scopes of the endpoints served (developer.okta.com/docs/api/oauth2). */
export const SCOPES = {
  users: 'okta.users.read',
  groups: 'okta.groups.read',
  logs: 'okta.logs.read',
} as const;
export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

/** Default access-token lifetime of Okta's org authorization server: one hour. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

export type AdminRole = 'READ_ONLY_ADMIN' | 'NONE';

export interface OAuthClientCredentials {
  readonly clientId: string;
  /** PKCS#1 PEM, as the SDK's `privateKey` option accepts it. */
  readonly privateKeyPem: string;
  readonly keyId: string;
}

interface ApiToken {
  readonly id: string;
  readonly role: AdminRole;
  revoked: boolean;
}

export interface OAuthClient {
  readonly clientId: string;
  readonly keyId: string;
  readonly publicKey: KeyObject;
  readonly scopes: ReadonlySet<string>;
}

interface AccessToken {
  readonly clientId: string;
  readonly scopes: ReadonlySet<string>;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** Who made a call. */
export type Principal =
  { readonly kind: 'ssws'; readonly tokenId: string } | { readonly kind: 'oauth'; readonly clientId: string };

export class Credentials {
  private readonly apiTokens = new Map<string, ApiToken>();
  private readonly clients = new Map<string, OAuthClient>();
  private readonly accessTokens = new Map<string, AccessToken>();

  constructor(
    private readonly faults: Faults,
    private readonly orgUrl: () => string,
  ) {}

  /** A new SSWS API token (Okta tokens are 42 characters starting with "00"). */
  createApiToken(role: AdminRole = 'READ_ONLY_ADMIN'): string {
    const token = `00${randomBytes(30).toString('base64url')}`;
    this.apiTokens.set(token, { id: randomOktaId('00T'), role, revoked: false });
    return token;
  }

  /** Revokes an SSWS API token or an OAuth access token. */
  revoke(token: string): void {
    const entry = this.apiTokens.get(token);
    if (entry !== undefined) entry.revoked = true;
    this.accessTokens.delete(token);
  }

  /** Registers an OAuth service app with a fresh RSA-2048 key pair and the scopes granted to it. */
  createOAuthClient(scopes: readonly string[]): OAuthClientCredentials {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const clientId = randomOktaId('0oa');
    const keyId = randomBytes(16).toString('base64url');
    this.clients.set(clientId, { clientId, keyId, publicKey, scopes: new Set(scopes) });
    return { clientId, keyId, privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
  }

  client(clientId: string): OAuthClient | undefined {
    return this.clients.get(clientId);
  }

  /** Issues an opaque Bearer access token; lifetime from the faults (vendor default 1 h). */
  issueAccessToken(clientId: string, scopes: ReadonlySet<string>): { token: string; expiresIn: number } {
    const now = Date.now();
    const expiresIn = this.faults.settings.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
    if (this.accessTokens.size > 1000) {
      for (const [t, entry] of this.accessTokens) if (entry.expiresAt <= now) this.accessTokens.delete(t);
    }
    const token = randomBytes(48).toString('base64url');
    this.accessTokens.set(token, { clientId, scopes, issuedAt: now, expiresAt: now + expiresIn * 1000 });
    return { token, expiresIn };
  }

  /** Checks the Authorization header for a call needing `scope`; throws the Okta error otherwise. */
  authenticate(req: IncomingMessage, scope: Scope): Principal {
    const header = req.headers.authorization;
    if (header === undefined || header === '') throw oktaErrors.invalidSession();
    const match = /^(\S+)\s+(.+)$/.exec(header);
    const scheme = match?.[1] ?? '';
    const credential = (match?.[2] ?? '').trim();
    if (scheme === 'SSWS') {
      const token = this.apiTokens.get(credential);
      if (token === undefined || token.revoked) throw oktaErrors.invalidToken();
      if (token.role === 'NONE') throw oktaErrors.accessDenied();
      return { kind: 'ssws', tokenId: token.id };
    }
    if (scheme.toLowerCase() === 'bearer') {
      const token = this.accessTokens.get(credential);
      const revokedBefore = this.faults.settings.revokeTokensBefore;
      if (
        token === undefined ||
        token.expiresAt <= Date.now() ||
        (revokedBefore !== null && token.issuedAt < revokedBefore)
      ) {
        throw oktaErrors.invalidToken({
          'WWW-Authenticate': this.challenge(req, scope, 'invalid_token', 'The token has expired.'),
        });
      }
      if (!token.scopes.has(scope)) {
        throw oktaErrors.accessDenied({
          'WWW-Authenticate': this.challenge(
            req,
            scope,
            'insufficient_scope',
            'The access token provided does not contain the required scopes.',
          ),
        });
      }
      return { kind: 'oauth', clientId: token.clientId };
    }
    throw oktaErrors.invalidToken();
  }

  private challenge(req: IncomingMessage, scope: string, error: string, description: string): string {
    const org = this.orgUrl();
    const resource = (req.url ?? '').split('?')[0] ?? '';
    return `Bearer authorization_uri="${org}/oauth2/v1/authorize", realm="${org}", scope="${scope}", error="${error}", error_description="${description}", resource="${resource}"`;
  }
}
