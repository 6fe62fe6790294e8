import { createHash, randomBytes } from 'node:crypto';
import type { Faults } from '../core/faults';
import type { TenantState } from '../core/tenant-state';
import { aadsts, aadstsBody, type AadstsError } from './aadsts';
import type { AppRegistry } from './apps';
import type { UserCredentials } from './credentials';
import type { DirectoryIndex } from './directory-index';
import type { Reply } from './http';
import { GRAPH_APP_ID, GRAPH_AUDIENCE, type TokenSigner } from './tokens';

/**
 * Microsoft identity platform v2.0 endpoints for one tenant
 * (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow):
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration   (issuer on this host, so msal accepts it)
 *   GET  /{tenant}/discovery/v2.0/keys
 *   POST /{tenant}/oauth2/v2.0/token   (query string ignored: MSAL appends ?client-request-id=…)
 * `{tenant}` is the tenant id or its domain. Grants: `client_credentials` (scope
 * `https://graph.microsoft.com/.default`) and `password` (ROPC). Errors are the AADSTS bodies
 * real Entra returns (aadsts.ts).
 */
export interface IdentityEnv {
  readonly tenantId: string;
  readonly tenantDomain: string;
  readonly baseUrl: string;
  readonly apps: AppRegistry;
  readonly credentials: UserCredentials;
  readonly signer: TokenSigner;
  readonly faults: Faults;
  readonly state: TenantState;
  readonly index: DirectoryIndex;
}

/** Entra's usual access-token lifetime (60–90 minutes; clients see expires_in 3599 most often). */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;

const GRAPH_RESOURCES = [GRAPH_AUDIENCE, GRAPH_APP_ID, 'https://graph.microsoft.com/'];
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

const json = (status: number, body: string, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store, no-cache',
    Pragma: 'no-cache',
    ...headers,
  },
  body,
});
const failure = (e: AadstsError): Reply => json(e.status, aadstsBody(e));

/** True when `path` is one of the identity endpoints (any tenant segment). */
export function isIdentityPath(path: string): boolean {
  return /^\/[^/]+\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token)$/.test(
    path,
  );
}

export function handleIdentity(
  env: IdentityEnv,
  method: string,
  path: string,
  body: string,
  headers: Readonly<Record<string, string | undefined>>,
): Reply {
  const [, tenantSegment = '', ...rest] = path.split('/');
  const tenant = decodeURIComponent(tenantSegment);
  const endpoint = rest.join('/');
  const known =
    tenant.toLowerCase() === env.tenantId.toLowerCase() || tenant.toLowerCase() === env.tenantDomain.toLowerCase();
  if (endpoint === 'v2.0/.well-known/openid-configuration' && method === 'GET') {
    return known ? json(200, JSON.stringify(openIdConfiguration(env))) : failure(aadsts.tenantNotFound(tenant, true));
  }
  if (endpoint === 'discovery/v2.0/keys' && method === 'GET') {
    return known ? json(200, JSON.stringify({ keys: [] })) : failure(aadsts.tenantNotFound(tenant, true));
  }
  if (endpoint === 'oauth2/v2.0/token' && method === 'POST') {
    if (!known) return failure(aadsts.tenantNotFound(tenant, false));
    return token(env, new URLSearchParams(body), headers);
  }
  return json(404, JSON.stringify({ error: 'not_found', error_description: `No identity endpoint ${method} ${path}` }));
}

function openIdConfiguration(env: IdentityEnv): Record<string, unknown> {
  const base = `${env.baseUrl}/${env.tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${env.baseUrl}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: new URL(env.baseUrl).host,
    rbac_url: 'https://pas.windows.net',
  };
}

function token(env: IdentityEnv, form: URLSearchParams, headers: Readonly<Record<string, string | undefined>>): Reply {
  const grant = form.get('grant_type');
  if (!grant) return failure(aadsts.missingParameter('grant_type'));
  // client_secret_basic is accepted as well as client_secret_post.
  const basic = /^Basic\s+(.+)$/i.exec(headers['authorization'] ?? '');
  const [basicId, basicSecret] = basic
    ? Buffer.from(basic[1] as string, 'base64')
        .toString('utf8')
        .split(':')
        .map(decodeURIComponent)
    : [];
  const clientId = form.get('client_id') ?? basicId;
  const secret = form.get('client_secret') ?? basicSecret ?? null;
  if (!clientId) return failure(aadsts.missingParameter('client_id'));
  const app = env.apps.get(clientId);
  if (!app) return failure(aadsts.unknownClient(clientId, env.tenantDomain));
  const lifetime = env.faults.settings.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  const now = Date.now();

  const checkSecret = (): AadstsError | null => {
    if (secret === null) return aadsts.secretRequired();
    const verdict = env.apps.checkSecret(app, secret, new Date(now));
    return verdict === 'valid'
      ? null
      : verdict === 'expired'
        ? aadsts.expiredSecret(app.clientId)
        : aadsts.wrongSecret(app.clientId);
  };

  if (grant === 'client_credentials') {
    const scope = form.get('scope');
    if (!scope) return failure(aadsts.missingParameter('scope'));
    const secretError = checkSecret();
    if (secretError) return failure(secretError);
    const scopes = scope.split(/\s+/).filter((s) => s !== '');
    if (scopes.length !== 1 || !scopes[0]!.endsWith('/.default')) return failure(aadsts.scopeNeedsDefault(scope));
    const resource = scopes[0]!.slice(0, -'/.default'.length);
    if (!GRAPH_RESOURCES.includes(resource) && !GRAPH_RESOURCES.includes(`${resource}/`))
      return failure(aadsts.unknownResource(resource, env.tenantDomain));
    const servicePrincipal = derivedGuid(`sp:${app.clientId}`);
    const roles = [...app.permissions];
    const accessToken = env.signer.sign({
      aud: GRAPH_AUDIENCE,
      iss: `https://sts.windows.net/${env.tenantId}/`,
      iat: Math.floor(now / 1000),
      nbf: Math.floor(now / 1000) - 300,
      exp: Math.floor(now / 1000) + lifetime,
      tid: env.tenantId,
      appid: app.clientId,
      app_displayname: app.displayName,
      oid: servicePrincipal,
      sub: servicePrincipal,
      idtyp: 'app',
      ...(roles.length > 0 ? { roles } : {}),
      ver: '1.0',
      uti: randomBytes(16).toString('base64url'),
      iat_ms: now,
    });
    return json(
      200,
      JSON.stringify({
        token_type: 'Bearer',
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token: accessToken,
      }),
    );
  }

  if (grant === 'password') {
    const username = form.get('username');
    const password = form.get('password');
    if (!username) return failure(aadsts.missingParameter('username'));
    if (password === null) return failure(aadsts.missingParameter('password'));
    if (secret !== null || !app.allowPublicClient) {
      const secretError = checkSecret();
      if (secretError) return failure(secretError);
    }
    const userId = env.index.userIdByLogin(username);
    const user = userId === undefined ? undefined : env.state.users.get(userId);
    if (!user) return failure(aadsts.unknownUser(env.tenantDomain));
    if (!env.credentials.verify(user.id, password)) return failure(aadsts.wrongPassword());
    if (!user.enabled) return failure(aadsts.userDisabled());
    if (env.credentials.mfaRequired(user.id)) return failure(aadsts.mfaRequired());
    const requested = (form.get('scope') ?? '').split(/\s+/).filter((s) => s !== '');
    const resourceScopes = new Set<string>(['User.Read']);
    for (const s of requested) {
      if (OIDC_SCOPES.has(s)) continue;
      const bare = s
        .replace(/^https:\/\/graph\.microsoft\.com\//i, '')
        .replace(/^00000003-0000-0000-c000-000000000000\//i, '');
      if (bare.includes('/') || bare.includes(':'))
        return failure(aadsts.unknownResource(s.slice(0, s.lastIndexOf('/')), env.tenantDomain));
      if (bare !== '.default') resourceScopes.add(bare);
    }
    const scp = [...resourceScopes, 'profile', 'openid', 'email'].join(' ');
    const iat = Math.floor(now / 1000);
    const accessToken = env.signer.sign({
      aud: GRAPH_AUDIENCE,
      iss: `https://sts.windows.net/${env.tenantId}/`,
      iat,
      nbf: iat - 300,
      exp: iat + lifetime,
      tid: env.tenantId,
      appid: app.clientId,
      oid: user.id,
      sub: derivedGuid(`sub:${user.id}:${app.clientId}`),
      idtyp: 'user',
      scp,
      upn: user.login,
      name: user.displayName,
      ver: '1.0',
      uti: randomBytes(16).toString('base64url'),
      iat_ms: now,
    });
    const idToken = env.signer.sign({
      ver: '2.0',
      iss: `${env.baseUrl}/${env.tenantId}/v2.0`,
      sub: derivedGuid(`sub:${user.id}:${app.clientId}`),
      aud: app.clientId,
      exp: iat + lifetime,
      iat,
      nbf: iat,
      name: user.displayName,
      preferred_username: user.login,
      oid: user.id,
      tid: env.tenantId,
      uti: randomBytes(16).toString('base64url'),
    });
    const clientInfo = Buffer.from(JSON.stringify({ uid: user.id, utid: env.tenantId })).toString('base64url');
    return json(
      200,
      JSON.stringify({
        token_type: 'Bearer',
        scope: [...resourceScopes].join(' ') + ' profile openid email',
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token: accessToken,
        ...(requested.includes('offline_access')
          ? { refresh_token: `0.A${randomBytes(48).toString('base64url')}` }
          : {}),
        id_token: idToken,
        client_info: clientInfo,
      }),
    );
  }
  return failure(aadsts.unsupportedGrant(grant));
}

/** Stable GUID from text (service principal object ids, pairwise subjects). */
export function derivedGuid(text: string): string {
  const h = createHash('sha256').update(text).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x40;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
