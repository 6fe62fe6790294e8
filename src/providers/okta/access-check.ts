import { accessReport, finding, readSummary, type AccessFinding, type AccessReport } from '../provider';
import type { OktaClient } from './client';
import type { OktaSettings } from './config';
import { apiFailure, describeFailure, describeTokenRefusal } from './errors';
import { NetworkFailure, type TokenRefusal } from './transport';
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
 *
 * Each line is a finding with a stable code (../provider.ts FindingCode) and a fix in the Okta
 * Admin Console's words: no answer → UNREACHABLE, not an Okta org → WRONG_URL, 401 → WRONG_SECRET,
 * invalid_client → UNKNOWN_CLIENT or INVALID_KEY, invalid_scope / insufficient_scope →
 * MISSING_SCOPE, 403 on users → NOT_AN_ADMIN, on groups or members → MISSING_PERMISSION, 429 →
 * THROTTLED; the System Log's problems are WARNINGs; all probes passing → one OK.
 */
export interface AccessCheckDeps {
  readonly settings: OktaSettings;
  /** A client with short retries, sharing the provider's pacer. */
  readonly client: OktaClient;
  readonly pacer: RatePacer;
}

type Probe = { ok: true; body: unknown } | { ok: false; finding: AccessFinding };

const CONSOLE = 'Okta Admin Console';

export async function checkAccess(deps: AccessCheckDeps): Promise<AccessReport> {
  const { settings } = deps;
  const findings: AccessFinding[] = [];
  const c = settings.credential;

  const users = await probe(deps, '/api/v1/users?limit=1', 'okta.users.read', 'users', true);
  if (!users.ok) return accessReport([users.finding]);
  findings.push(
    finding(
      'SIGNED_IN',
      'INFO',
      c.kind === 'ssws'
        ? `signed in to ${settings.orgUrl} with an API token (SSWS)`
        : `signed in to ${settings.orgUrl} as OAuth service app ${c.clientId} (scopes ${c.scopes.join(' ')})`,
    ),
  );
  findings.push(finding('CAN_READ', 'INFO', 'can read users'));
  const userCount = Array.isArray(users.body) ? users.body.length : 0;
  if (userCount === 0)
    findings.push(
      finding(
        'NO_USERS_VISIBLE',
        'WARNING',
        `${settings.orgUrl} listed no users: a sync would find the org empty`,
        `${CONSOLE} → Directory → People: check that the org has users, and that okta.orgUrl is the org you mean; ${c.kind === 'ssws' ? "the token's admin" : 'the service app'} needs an admin role whose resources include all users (Security → Administrators)`,
      ),
    );

  const groups = await probe(deps, '/api/v1/groups?limit=1', 'okta.groups.read', 'groups', false);
  let groupId: string | null = null;
  let membersRead = false;
  if (groups.ok) {
    findings.push(finding('CAN_READ', 'INFO', 'can read groups'));
    const first = Array.isArray(groups.body) ? (groups.body[0] as { id?: unknown } | undefined)?.id : undefined;
    if (typeof first === 'string') groupId = first;
  } else findings.push(groups.finding);
  if (groupId !== null) {
    const members = await probe(
      deps,
      `/api/v1/groups/${encodeURIComponent(groupId)}/users?limit=1`,
      'okta.groups.read',
      'group members',
      false,
    );
    if (members.ok) {
      membersRead = true;
      findings.push(finding('CAN_READ', 'INFO', 'can read group members'));
    } else findings.push(members.finding);
  }

  const logs = await probe(
    deps,
    `/api/v1/logs?since=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}&limit=1`,
    'okta.logs.read',
    'the System Log',
    false,
  );
  if (logs.ok) findings.push(finding('CAN_READ', 'INFO', 'can read the System Log (incremental runs)'));
  else
    findings.push({
      ...logs.finding,
      severity: 'WARNING',
      message: `warning: ${logs.finding.message}; without it every incremental run falls back to a full run (set schedule.incrementalSeconds: 0 until it is granted)`,
    });

  if (findings.every((f) => f.severity !== 'ERROR'))
    findings.push(finding('OK', 'INFO', readSummary(userCount, groupId === null ? 0 : 1, membersRead)));

  if (settings.passwordAuthentication) findings.push(await authnProbe(deps));

  for (const [bucket, path] of [
    ['users', 'GET /api/v1/users'],
    ['groups', '/api/v1/groups'],
    ['logs', '/api/v1/logs'],
  ] as const) {
    const limit = deps.pacer.report().get(bucket)?.limit;
    if (limit != null)
      findings.push(
        finding(
          'RATE_LIMIT',
          'INFO',
          `rate limit of ${path}: ${limit} calls per window; crowdgate uses at most ${Math.round(settings.rateLimitShare * 100)}% (okta.rateLimitShare)`,
        ),
      );
  }
  return accessReport(findings);
}

/** `first`: the probe that proves the credential (a refusal there means no admin role at all). */
async function probe(deps: AccessCheckDeps, path: string, scope: string, what: string, first: boolean): Promise<Probe> {
  const { settings, client } = deps;
  try {
    return { ok: true, body: await client.getJson<unknown>(path) };
  } catch (error) {
    return { ok: false, finding: explain(error, settings, client, scope, what, first) };
  }
}

function explain(
  error: unknown,
  settings: OktaSettings,
  client: OktaClient,
  scope: string,
  what: string,
  first: boolean,
): AccessFinding {
  const c = settings.credential;
  if (error instanceof NetworkFailure) {
    return finding(
      'UNREACHABLE',
      'ERROR',
      `cannot reach the Okta org at ${settings.orgUrl} (${error.code}): check okta.orgUrl (https://<your-org>.okta.com), DNS and the network path (proxy, firewall)`,
      FIXES.orgUrl('and check that this machine reaches it (DNS, proxy, firewall)'),
    );
  }
  const refusal = client.executor.tokenRefusal;
  if (c.kind === 'oauth' && refusal !== null) return refusalFinding(refusal, c.clientId, c.scopes);
  const f = apiFailure(error);
  if (f === null) {
    const message = error instanceof Error ? error.message : String(error);
    if (c.kind === 'oauth' && /private key|PEM|JWK|key type/i.test(message))
      return finding(
        'INVALID_KEY',
        'ERROR',
        `okta.privateKey cannot sign the client assertion: ${message}`,
        FIXES.key(c.clientId),
      );
    return finding('UNEXPECTED_ERROR', 'ERROR', `cannot read ${what}: ${message}`, FIXES.unexpected());
  }
  if (f.errorCode === '' && (f.status === 404 || f.status >= 300)) {
    return finding(
      'WRONG_URL',
      'ERROR',
      `${settings.orgUrl} does not look like an Okta org (${describeFailure(f)}): check okta.orgUrl`,
      FIXES.orgUrl('(the org URL, not the -admin URL, and no path)'),
    );
  }
  if (f.status === 401) {
    return c.kind === 'ssws'
      ? finding(
          'WRONG_SECRET',
          'ERROR',
          `the API token was refused (${describeFailure(f)}): it is wrong, revoked, or expired (Okta expires tokens unused for 30 days); create one under Security → API → Tokens and put it in okta.apiToken`,
          `${CONSOLE} → Security → API → Tokens → Create token (signed in as a Read-Only Administrator or higher); copy the Token Value (shown once) into okta.apiToken`,
        )
      : finding(
          'WRONG_SECRET',
          'ERROR',
          `Okta refused the service app's access token (${describeFailure(f)}): check the app's client id, key and granted scopes`,
          `${FIXES.app(c.clientId)} → General → Client Credentials: Client ID, Public key / Private key with the key of okta.keyId; and the Okta API Scopes tab → Grant ${c.scopes.join(', ')}`,
        );
  }
  if (f.status === 403) {
    if (c.kind === 'oauth' && (f.challenge === 'insufficient_scope' || !c.scopes.includes(scope))) {
      return finding(
        'MISSING_SCOPE',
        'ERROR',
        `missing scope ${scope} to read ${what} (${describeFailure(f)}): grant ${scope} to the app under Okta API Scopes${c.scopes.includes(scope) ? '' : ` and add it to okta.scopes`}`,
        `${FIXES.app(c.clientId)} → Okta API Scopes → ${scope} → Grant${c.scopes.includes(scope) ? '' : `; then add ${scope} to okta.scopes`}`,
      );
    }
    const code = first ? 'NOT_AN_ADMIN' : 'MISSING_PERMISSION';
    return c.kind === 'ssws'
      ? finding(
          code,
          'ERROR',
          `the API token may not read ${what} (${describeFailure(f)}): a token acts with the rights of the admin who created it; give that admin the Read-Only Administrator role, or create the token as such an admin`,
          `${CONSOLE} → Security → Administrators → Add administrator (or edit the admin who created the token) → Read-Only Administrator → Save; or sign in as such an admin and create a new token under Security → API → Tokens for okta.apiToken`,
        )
      : finding(
          code,
          'ERROR',
          `the service app may not read ${what} (${describeFailure(f)}): assign it an admin role (Read-Only Administrator) under the app's Admin roles tab`,
          `${FIXES.app(c.clientId)} → Admin roles → Edit assignments → Role: Read-Only Administrator → Save Changes`,
        );
  }
  if (f.status === 429)
    return finding(
      'THROTTLED',
      'ERROR',
      `cannot read ${what}: ${describeFailure(f)}`,
      `${CONSOLE} → Reports → Rate Limits: another client uses up this endpoint's limit; run the test again after the window, or lower okta.rateLimitShare`,
    );
  if (f.status >= 500)
    return finding(
      'PROVIDER_UNAVAILABLE',
      'ERROR',
      `cannot read ${what}: ${describeFailure(f)}`,
      'Okta answered with a server error: run the test again later, and check status.okta.com',
    );
  return finding('UNEXPECTED_ERROR', 'ERROR', `cannot read ${what}: ${describeFailure(f)}`, FIXES.unexpected());
}

/** A token request the org refused (errors.ts words it), as a finding. */
function refusalFinding(r: TokenRefusal, clientId: string, scopes: readonly string[]): AccessFinding {
  const message = describeTokenRefusal(r, clientId, scopes);
  switch (r.error) {
    case 'invalid_client':
      if (/expire|future|iat\b|nbf/i.test(r.description))
        return finding(
          'CLOCK_SKEW',
          'ERROR',
          message,
          "synchronise this machine's clock (NTP): Okta refuses client assertions whose iat/exp are off",
        );
      if (/signature|kid|key/i.test(r.description))
        return finding('INVALID_KEY', 'ERROR', message, FIXES.key(clientId));
      return finding(
        'UNKNOWN_CLIENT',
        'ERROR',
        message,
        `${CONSOLE} → Applications → Applications → the API Services app crowdgate uses → General → Client Credentials: copy its Client ID into okta.clientId (it is ${clientId} now); Client authentication must be Public key / Private key, with the public key of okta.privateKey (kid okta.keyId) listed under Public Keys`,
      );
    case 'invalid_scope':
      return finding(
        'MISSING_SCOPE',
        'ERROR',
        message,
        `${FIXES.app(clientId)} → Okta API Scopes → Grant ${scopes.join(', ')}; or set okta.scopes to the granted ones`,
      );
    case 'unauthorized_client':
      return finding(
        'WRONG_APP_TYPE',
        'ERROR',
        message,
        `${CONSOLE} → Applications → Applications → Create App Integration → API Services → Next; put its Client ID in okta.clientId, add the public key of okta.privateKey under Client Credentials → Public Keys, then grant scopes (Okta API Scopes) and an admin role (Admin roles)`,
      );
    default:
      return r.status === 429
        ? finding(
            'THROTTLED',
            'ERROR',
            message,
            `${CONSOLE} → Reports → Rate Limits: run the test again after the window`,
          )
        : r.status >= 500
          ? finding('PROVIDER_UNAVAILABLE', 'ERROR', message, 'run the test again later, and check status.okta.com')
          : finding('UNEXPECTED_ERROR', 'ERROR', message, FIXES.unexpected());
  }
}

/** The Okta Admin Console steps. */
const FIXES = {
  app: (clientId: string): string =>
    `${CONSOLE} → Applications → Applications → the API Services app with Client ID ${clientId}`,
  key: (clientId: string): string =>
    `${FIXES.app(clientId)} → General → Client Credentials → Public Keys → Add key: paste the public key of okta.privateKey and put its KID in okta.keyId (Client authentication: Public key / Private key)`,
  orgUrl: (then: string): string =>
    `set okta.orgUrl to your org's URL as the ${CONSOLE} shows it under your name (top right), e.g. https://<your-org>.okta.com ${then}`,
  unexpected: (): string =>
    `the message quotes Okta's answer; ${CONSOLE} → Reports → System Log shows the request and why it was refused`,
};

async function authnProbe(deps: AccessCheckDeps): Promise<AccessFinding> {
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
      return finding(
        'PASSWORD_AUTHENTICATION',
        'INFO',
        'password authentication through /api/v1/authn is available (Classic Engine); users who must use MFA cannot log in with a password',
        `${CONSOLE} → Security → Authentication → Sign On (or Authentication policies): users whose policy requires MFA cannot log in to Crowd applications with a password`,
      );
    }
    if (response.status === 404)
      return unavailable(
        'warning: password authentication is on, but the org does not serve /api/v1/authn (Identity Engine orgs have no Classic authentication API)',
      );
    return unavailable(
      `warning: password authentication is on, but /api/v1/authn answered ${response.status}${typeof body.errorCode === 'string' ? ` ${body.errorCode}` : ''}`,
    );
  } catch (error) {
    return unavailable(
      `warning: password authentication is on, but /api/v1/authn could not be reached (${error instanceof NetworkFailure ? error.code : String(error)})`,
    );
  }
}

function unavailable(message: string): AccessFinding {
  return finding(
    'PASSWORD_AUTHENTICATION_UNAVAILABLE',
    'WARNING',
    message,
    `set okta.passwordAuthentication: false (Crowd applications then sign users in through SSO), or check the org in the ${CONSOLE} → Settings → Account (Okta Identity Engine orgs have no /api/v1/authn)`,
  );
}
