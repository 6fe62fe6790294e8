import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Access tokens: compact JWTs (HS256, signed with a per-run key, so they are opaque to clients
 * exactly as Graph tokens are meant to be). Graph checks signature, `aud`, `tid`, `exp` and the
 * revocation instant on every call. Claims follow the v1 Graph access-token layout.
 */

/** Audience of Graph tokens (resource `https://graph.microsoft.com`). */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
/** Application id of Microsoft Graph, also accepted as a scope prefix (`00000003-…/.default`). */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface AccessClaims {
  readonly aud: string;
  readonly iss: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly tid: string;
  readonly appid: string;
  readonly oid: string;
  readonly sub: string;
  readonly idtyp: 'app' | 'user';
  /** Application permissions (client credentials). */
  readonly roles?: readonly string[];
  /** Delegated scopes, space separated (ROPC). */
  readonly scp?: string;
  readonly ver: '1.0';
  readonly uti: string;
  /** Milliseconds of issuance, finer than `iat`, so revocation "before t" is exact. */
  readonly iat_ms: number;
}

export type Verification =
  | { readonly ok: true; readonly claims: AccessClaims }
  | { readonly ok: false; readonly reason: 'empty' | 'malformed' | 'signature' | 'expired' | 'audience' };

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export class TokenSigner {
  private readonly key = randomBytes(32);
  /** Verified tokens (by value) → claims; bounded, so repeated calls skip the HMAC and JSON parse. */
  private readonly cache = new Map<string, AccessClaims>();

  sign(payload: object): string {
    const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'emulator' }));
    const body = b64url(JSON.stringify(payload));
    const mac = createHmac('sha256', this.key).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${mac}`;
  }

  /** Checks form, signature and audience; expiry is checked against `nowMs` (see verify). */
  private decode(token: string): AccessClaims | 'malformed' | 'signature' {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const parts = token.split('.');
    if (parts.length !== 3) return 'malformed';
    const [head, body, mac] = parts as [string, string, string];
    const expected = createHmac('sha256', this.key).update(`${head}.${body}`).digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature';
    let claims: AccessClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as AccessClaims;
    } catch {
      return 'malformed';
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, claims);
    return claims;
  }

  /**
   * Verifies a Graph bearer token. `revokedBeforeMs`: tokens issued before it count as expired
   * (faults.revokeTokensBefore, "early expiry").
   */
  verify(token: string | undefined, tenantId: string, nowMs: number, revokedBeforeMs: number | null): Verification {
    if (token === undefined || token === '') return { ok: false, reason: 'empty' };
    const claims = this.decode(token);
    if (claims === 'malformed' || claims === 'signature') return { ok: false, reason: claims };
    if (claims.aud !== GRAPH_AUDIENCE && claims.aud !== GRAPH_APP_ID) return { ok: false, reason: 'audience' };
    if (claims.tid !== tenantId) return { ok: false, reason: 'signature' };
    if (claims.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
    if (revokedBeforeMs !== null && claims.iat_ms < revokedBeforeMs) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }
}
