import type { AccessReport } from '../provider';
import type { OktaClient } from './client';
import type { OktaSettings } from './config';
import { apiFailure, describeFailure, describeTokenRefusal } from './errors';
import { NetworkFailure } from './transport';
import type { RatePacer } from './pacing';

/**
 * `checkAccess()`: what an administrator needs to fix, one finding per line. Probes, each one
 * small request through the SDK (with few retries):
 *
 * 1. `GET /api/v1/users?limit=1` — reaches the org and proves the credential:
 *    no answer → unreachable org (the network error code); non-Okta 404 → wrong orgUrl;
 *    OAuth token refused → the token endpoint's own error (SDK 8.1 swallows it, transport.ts keeps
 *    it): invalid_client (client id / key), invalid_scope (scopes not granted);
 *    401 E0000011 → API token wrong, revoked or expired; 403 E0000006 → SSWS: the token's admin
 *    has no admin role; OAuth: `insufficient_scope` names the missing scope, otherwise the app
 *    has no admin role.
 * 2. `GET /api/v1/groups?limit=1` and one group's `/users?limit=1` (okta.groups.read).
 * 3. `GET /api/v1/logs` (okta.logs.read): without it incremental runs fall back to full runs — a
 *    warning, not a failure.
 * 4. With `passwordAuthentication`: `POST /api/v1/authn` for a user that does not exist must
 *    answer 401 E0000004; 404 means the org has no Classic authentication API.
 * Plus the rate limits learnt on the way, and the share crowdgate will use.
 */
export interface AccessCheckDeps {
  readonly settings: OktaSettings;
  /** A client with short retries, sharing the provider's pacer. */
  readonly client: OktaClient;
  readonly pacer: RatePacer;
}

type Probe = { ok: true; body: unknown } | { ok: false; message: string };

export async function checkAccess(deps: AccessCheckDeps): Promise<AccessReport> {
  const { settings } = deps;
  const messages: string[] = [];
  const c = settings.credential;

  const users = await probe(deps, '/api/v1/users?limit=1', 'okta.users.read', 'users');
  if (!users.ok) return { ok: false, messages: [users.message] };
  messages.push(
    c.kind === 'ssws'
      ? `signed in to ${settings.orgUrl} with an API token (SSWS)`
      : `signed in to ${settings.orgUrl} as OAuth service app ${c.clientId} (scopes ${c.scopes.join(' ')})`,
  );
  messages.push('can read users');
  let ok = true;

  const groups = await probe(deps, '/api/v1/groups?limit=1', 'okta.groups.read', 'groups');
  let groupId: string | null = null;
  if (groups.ok) {
    messages.push('can read groups');
    const first = Array.isArray(groups.body) ? (groups.body[0] as { id?: unknown } | undefined)?.id : undefined;
    if (typeof first === 'string') groupId = first;
  } else {
    ok = false;
    messages.push(groups.message);
  }
  if (groupId !== null) {
    const members = await probe(
      deps,
      `/api/v1/groups/${encodeURIComponent(groupId)}/users?limit=1`,
      'okta.groups.read',
      'group members',
    );
    if (members.ok) messages.push('can read group members');
    else {
      ok = false;
      messages.push(members.message);
    }
  }

  const logs = await probe(
    deps,
    `/api/v1/logs?since=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}&limit=1`,
    'okta.logs.read',
    'the System Log',
  );
  if (logs.ok) messages.push('can read the System Log (incremental runs)');
  else
    messages.push(
      `warning: ${logs.message}; without it every incremental run falls back to a full run (set schedule.incrementalSeconds: 0 until it is granted)`,
    );

  if (settings.passwordAuthentication) messages.push(await authnProbe(deps));

  for (const [bucket, path] of [
    ['users', 'GET /api/v1/users'],
    ['groups', '/api/v1/groups'],
    ['logs', '/api/v1/logs'],
  ] as const) {
    const limit = deps.pacer.report().get(bucket)?.limit;
    if (limit != null)
      messages.push(
        `rate limit of ${path}: ${limit} calls per window; crowdgate uses at most ${Math.round(settings.rateLimitShare * 100)}% (okta.rateLimitShare)`,
      );
  }
  return { ok, messages };
}

async function probe(deps: AccessCheckDeps, path: string, scope: string, what: string): Promise<Probe> {
  const { settings, client } = deps;
  try {
    return { ok: true, body: await client.getJson<unknown>(path) };
  } catch (error) {
    return { ok: false, message: explain(error, settings, client, scope, what) };
  }
}

function explain(error: unknown, settings: OktaSettings, client: OktaClient, scope: string, what: string): string {
  const c = settings.credential;
  if (error instanceof NetworkFailure) {
    return `cannot reach the Okta org at ${settings.orgUrl} (${error.code}): check okta.orgUrl (https://<your-org>.okta.com), DNS and the network path (proxy, firewall)`;
  }
  const refusal = client.executor.tokenRefusal;
  if (c.kind === 'oauth' && refusal !== null) return describeTokenRefusal(refusal, c.clientId, c.scopes);
  const f = apiFailure(error);
  if (f === null) {
    const message = error instanceof Error ? error.message : String(error);
    if (c.kind === 'oauth' && /private key|PEM|JWK|key type/i.test(message))
      return `okta.privateKey cannot sign the client assertion: ${message}`;
    return `cannot read ${what}: ${message}`;
  }
  if (f.errorCode === '' && (f.status === 404 || f.status >= 300)) {
    return `${settings.orgUrl} does not look like an Okta org (${describeFailure(f)}): check okta.orgUrl`;
  }
  if (f.status === 401) {
    return c.kind === 'ssws'
      ? `the API token was refused (${describeFailure(f)}): it is wrong, revoked, or expired (Okta expires tokens unused for 30 days); create one under Security → API → Tokens and put it in okta.apiToken`
      : `Okta refused the service app's access token (${describeFailure(f)}): check the app's client id, key and granted scopes`;
  }
  if (f.status === 403) {
    if (c.kind === 'oauth' && (f.challenge === 'insufficient_scope' || !c.scopes.includes(scope))) {
      return `missing scope ${scope} to read ${what} (${describeFailure(f)}): grant ${scope} to the app under Okta API Scopes${c.scopes.includes(scope) ? '' : ` and add it to okta.scopes`}`;
    }
    return c.kind === 'ssws'
      ? `the API token may not read ${what} (${describeFailure(f)}): a token acts with the rights of the admin who created it; give that admin the Read-Only Administrator role, or create the token as such an admin`
      : `the service app may not read ${what} (${describeFailure(f)}): assign it an admin role (Read-Only Administrator) under the app's Admin roles tab`;
  }
  return `cannot read ${what}: ${describeFailure(f)}`;
}

async function authnProbe(deps: AccessCheckDeps): Promise<string> {
  const { settings, client } = deps;
  try {
    const response = await client.executor.fetch({
      url: `${settings.orgUrl}/api/v1/authn`,
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'crowdgate' },
      body: JSON.stringify({ username: `crowdgate-connection-test-${Date.now()}@invalid`, password: 'not-a-password' }),
    });
    const body = (await response.json().catch(() => ({}))) as { errorCode?: unknown };
    if (response.status === 401 && body.errorCode === 'E0000004') {
      return 'password authentication through /api/v1/authn is available (Classic Engine); users who must use MFA cannot log in with a password';
    }
    if (response.status === 404)
      return 'warning: password authentication is on, but the org does not serve /api/v1/authn (Identity Engine orgs have no Classic authentication API)';
    return `warning: password authentication is on, but /api/v1/authn answered ${response.status}${typeof body.errorCode === 'string' ? ` ${body.errorCode}` : ''}`;
  } catch (error) {
    return `warning: password authentication is on, but /api/v1/authn could not be reached (${error instanceof NetworkFailure ? error.code : String(error)})`;
  }
}
