/**
 * `POST /oauth2/v1/token` of the org authorization server: client credentials with
 * `private_key_jwt` client authentication, as the SDK's PrivateKey mode sends it
 * (developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp).
 *
 * Checks, in order: form body; `grant_type=client_credentials` (else 400
 * unsupported_grant_type); `client_assertion_type` jwt-bearer and a compact RS256 JWS whose
 * `iss` = `sub` = a registered client id, whose `kid` (if any) is the client's key, whose
 * signature verifies with the registered public key, `aud` = `{orgUrl}/oauth2/v1/token`, `exp` in
 * the future and at most 1 h ahead, `jti` not seen before (else 401 invalid_client); `scope`
 * present and granted to the app (else 400 invalid_scope).
 *
 * DPoP: the SDK sends a `DPoP` proof header on every token request; it is ignored and plain
 * `Bearer` tokens are issued (the app does not require DPoP), so the SDK keeps using Bearer.
 */
import { verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Credentials } from './auth';
import { readBody, sendJson } from './http';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Okta rejects client assertions that expire more than one hour after they are presented. */
const MAX_ASSERTION_LIFETIME_S = 3600;
/** Clock skew tolerated on `exp`. */
const LEEWAY_S = 5;

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(description);
  }
}

function decodeJson(part: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new OAuthError(401, 'invalid_client', 'The client_assertion token is malformed.');
}

/** Verifies the client assertion; returns the client id. */
function verifyAssertion(
  credentials: Credentials,
  assertion: string,
  audience: string,
  seen: Map<string, number>,
): string {
  const parts = assertion.split('.');
  if (parts.length !== 3) throw new OAuthError(401, 'invalid_client', 'The client_assertion token is malformed.');
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h);
  const claims = decodeJson(p);
  if (header.alg !== 'RS256')
    throw new OAuthError(401, 'invalid_client', 'The client_assertion token is signed with an unsupported algorithm.');
  const iss = claims.iss;
  if (typeof iss !== 'string' || claims.sub !== iss) {
    throw new OAuthError(
      401,
      'invalid_client',
      "The client_assertion token's iss and sub claims must both be the client_id.",
    );
  }
  const client = credentials.client(iss);
  if (client === undefined) throw new OAuthError(401, 'invalid_client', 'The client_id is not valid.');
  if (header.kid !== undefined && header.kid !== client.keyId) {
    throw new OAuthError(
      401,
      'invalid_client',
      'The client_assertion token has a kid which does not identify a key on the client.',
    );
  }
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), client.publicKey, Buffer.from(s, 'base64url'))) {
    throw new OAuthError(401, 'invalid_client', 'The client_assertion signature is invalid.');
  }
  if (claims.aud !== audience) {
    throw new OAuthError(
      401,
      'invalid_client',
      'The audience claim for client_assertion must be the endpoint invoking the client_assertion.',
    );
  }
  const now = Math.floor(Date.now() / 1000);
  const exp = claims.exp;
  if (typeof exp !== 'number' || exp + LEEWAY_S < now)
    throw new OAuthError(401, 'invalid_client', 'The client_assertion token is expired.');
  if (exp > now + MAX_ASSERTION_LIFETIME_S + LEEWAY_S) {
    throw new OAuthError(401, 'invalid_client', 'The client_assertion token has an expiration too far in the future.');
  }
  const jti = claims.jti;
  if (typeof jti === 'string') {
    for (const [id, until] of seen) if (until < now) seen.delete(id);
    if (seen.has(`${iss}:${jti}`))
      throw new OAuthError(401, 'invalid_client', 'The client_assertion token has already been used.');
    seen.set(`${iss}:${jti}`, exp);
  }
  return iss;
}

/** Handles the token endpoint; `seen` is the jti replay cache (client:jti → exp). */
export async function handleTokenRequest(
  credentials: Credentials,
  orgUrl: string,
  req: IncomingMessage,
  res: ServerResponse,
  seen: Map<string, number>,
): Promise<void> {
  const noStore = { 'Cache-Control': 'no-cache, no-store', Pragma: 'no-cache' };
  try {
    if (!/^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
      throw new OAuthError(400, 'invalid_request', 'The request must be application/x-www-form-urlencoded.');
    }
    const form = new URLSearchParams(await readBody(req));
    if (form.get('grant_type') !== 'client_credentials') {
      throw new OAuthError(
        400,
        'unsupported_grant_type',
        'The authorization grant type is not supported by the authorization server. Configured grant types: [client_credentials].',
      );
    }
    if (form.get('client_assertion_type') !== JWT_BEARER || !form.get('client_assertion')) {
      throw new OAuthError(
        401,
        'invalid_client',
        'Client authentication failed. Either the client or the client credentials are invalid.',
      );
    }
    const clientId = verifyAssertion(
      credentials,
      form.get('client_assertion') as string,
      `${orgUrl}/oauth2/v1/token`,
      seen,
    );
    const requested = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
    if (requested.length === 0) {
      throw new OAuthError(
        400,
        'invalid_scope',
        "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
      );
    }
    const granted = credentials.client(clientId)?.scopes ?? new Set<string>();
    const missing = requested.filter((s) => !granted.has(s));
    if (missing.length > 0) {
      throw new OAuthError(
        400,
        'invalid_scope',
        `The following scopes are not granted to the client: ${missing.join(' ')}.`,
      );
    }
    const { token, expiresIn } = credentials.issueAccessToken(clientId, new Set(requested));
    sendJson(
      res,
      200,
      { token_type: 'Bearer', expires_in: expiresIn, access_token: token, scope: requested.join(' ') },
      noStore,
    );
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    sendJson(res, error.status, { error: error.code, error_description: error.description }, noStore);
  }
}
