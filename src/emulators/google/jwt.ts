import { verify, type KeyObject } from 'node:crypto';

/**
 * Minimal JWS compact parsing and RS256 verification for the JWT-bearer grant (RFC 7523). The
 * client library signs `{"alg":"RS256"}` headers (no `kid`) over claims
 * `{ iss, scope, aud, exp, iat, sub? }` (gtoken `requestToken`).
 */

export interface JwtHeader {
  readonly alg?: unknown;
  readonly kid?: unknown;
  readonly typ?: unknown;
}

export interface JwtClaims {
  readonly iss?: unknown;
  readonly sub?: unknown;
  readonly aud?: unknown;
  readonly scope?: unknown;
  readonly iat?: unknown;
  readonly exp?: unknown;
}

export interface ParsedJwt {
  readonly header: JwtHeader;
  readonly claims: JwtClaims;
  /** `base64url(header) + '.' + base64url(claims)`: the signed bytes. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodeObject(part: string): Record<string, unknown> | null {
  if (!BASE64URL.test(part)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Splits and decodes a compact JWS; null when it is not three base64url parts with JSON objects. */
export function parseJwt(token: string): ParsedJwt | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [h, c, s] = parts as [string, string, string];
  const header = decodeObject(h);
  const claims = decodeObject(c);
  if (header === null || claims === null || !BASE64URL.test(s) || s.length === 0) return null;
  return { header, claims, signingInput: `${h}.${c}`, signature: Buffer.from(s, 'base64url') };
}

/** True when `jwt` is RS256 and its signature verifies with `publicKey`. */
export function verifyRs256(jwt: ParsedJwt, publicKey: KeyObject): boolean {
  if (jwt.header.alg !== 'RS256') return false;
  try {
    return verify('RSA-SHA256', Buffer.from(jwt.signingInput), publicKey, jwt.signature);
  } catch {
    return false;
  }
}
