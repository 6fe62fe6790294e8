import { DirectoryError } from '../../domain/errors';
import { accessReport, finding, readSummary, type AccessFinding, type AccessReport } from '../provider';
import { DirectoryClient } from './client';
import { accountScope, type GoogleSettings } from './config';
import { Credentials, SCOPES, SYNC_SCOPES, type ServiceAccountKey } from './credentials';
import { asFailure, classify, GoogleFailure } from './errors';
import type { Pace } from './pacing';
import type { RetryPolicy } from '../shared/retry';

/**
 * `checkAccess()`: what an administrator needs to fix, one finding per line.
 *
 * 1. The key: readable, JSON, a service-account key with a PEM RSA private key (credentials.ts).
 * 2. A fresh token for the three scopes, impersonating `adminEmail` (token endpoint errors,
 *    RFC 6749 shape): `invalid_grant` "account not found" → the service account does not exist;
 *    "Invalid JWT Signature." → the key was deleted or belongs to another account; "Invalid email
 *    or User ID" → the admin account does not exist or is suspended; `unauthorized_client` →
 *    domain-wide delegation is missing for some scope: each scope is then asked for alone to name
 *    exactly which.
 * 3. API probes, one page of one row each: users.list with `my_customer` (403 → the impersonated
 *    user is no administrator, or its role cannot read users); users.list with the configured
 *    `customerId` / `domain` (403 while `my_customer` works → not this account's customer id or
 *    domain); groups.list (403 → no Groups read privilege); members.list of the first group.
 *
 * Each line is a finding with a stable code (../provider.ts FindingCode) and a fix in the Google
 * Admin console's (or Google Cloud console's) words: malformed or deleted key → INVALID_KEY,
 * unknown service account → UNKNOWN_CLIENT, "Invalid email or User ID" → ADMIN_NOT_FOUND,
 * unauthorized_client → MISSING_SCOPE per scope, users.list 403 → NOT_AN_ADMIN, wrong domain /
 * customer ID → DOMAIN_NOT_FOUND / CUSTOMER_NOT_FOUND, groups or members 403 →
 * MISSING_PERMISSION, no answer → UNREACHABLE; all probes passing → one OK.
 */
export interface AccessCheckDeps {
  readonly settings: GoogleSettings;
  readonly pace: Pace;
  readonly policy: RetryPolicy;
}

type Probe = { kind: 'ok'; data: unknown } | { kind: 'failed'; failure: GoogleFailure };

export async function checkAccess(deps: AccessCheckDeps): Promise<AccessReport> {
  const { settings } = deps;
  const credentials = new Credentials(settings, undefined, deps.pace.stats);
  let key: ServiceAccountKey;
  try {
    key = await credentials.serviceAccount();
  } catch (error) {
    const message = error instanceof DirectoryError ? stripPrefix(error.message, settings) : String(error);
    return accessReport([
      error instanceof DirectoryError
        ? finding('INVALID_KEY', 'ERROR', message, newKeyFix('the service account crowdgate should use'))
        : finding('UNEXPECTED_ERROR', 'ERROR', message, UNEXPECTED_FIX),
    ]);
  }

  // 2. The token, with the three scopes.
  const token = await tokenProblem(credentials, SYNC_SCOPES);
  if (token !== null) {
    if (token.reason !== 'unauthorized_client') return accessReport([tokenFinding(token, key, settings)]);
    const missing: string[] = [];
    for (const scope of SYNC_SCOPES) if ((await tokenProblem(credentials, [scope])) !== null) missing.push(scope);
    const list = missing.length > 0 ? missing : [...SYNC_SCOPES];
    return accessReport(
      list.map((scope) =>
        finding(
          'MISSING_SCOPE',
          'ERROR',
          `domain-wide delegation does not grant scope ${scope} to client ID ${key.clientId} (service account ${key.clientEmail}): add it in the Admin console under Security → Access and data control → API controls → Domain-wide delegation`,
          delegationFix(key),
        ),
      ),
    );
  }
  const findings: AccessFinding[] = [
    finding(
      'SIGNED_IN',
      'INFO',
      `signed in as service account ${key.clientEmail} (client ID ${key.clientId}) impersonating ${settings.adminEmail}, with the three read-only directory scopes`,
    ),
  ];

  // 3. What the impersonated admin may read. Probes are few: bounded retries, shared pace.
  const client = new DirectoryClient(settings, credentials, deps.pace, {
    ...deps.policy,
    maxAttempts: 2,
    maxThrottleRetries: 2,
  });
  const probe = async (label: string, run: Parameters<DirectoryClient['call']>[1]): Promise<Probe> => {
    try {
      return { kind: 'ok', data: await client.call(label, run) };
    } catch (error) {
      return { kind: 'failed', failure: asFailure(error, label) };
    }
  };
  const denied = (p: Probe): boolean => p.kind === 'failed' && p.failure.status === 403 && !throttled(p.failure);
  const detail = (p: Probe): string => (p.kind === 'failed' ? p.failure.message : '');
  try {
    const own = await probe('users.list', (admin, options) =>
      admin.users.list({ customer: 'my_customer', maxResults: 1, fields: 'users(id)' }, options),
    );
    if (denied(own)) {
      findings.push(
        finding(
          'NOT_AN_ADMIN',
          'ERROR',
          `${settings.adminEmail} is not a Workspace administrator, or its admin role lacks the Users → Read privilege (assign it the Super Admin role, or a role with Users, Groups and Organizational Units read privileges): ${detail(own)}`,
          `Google Admin console → Account → Admin roles → Super Admin (or a custom role with the Admin API privileges Users → Read, Groups → Read and Organizational Units → Read) → Assign users → ${settings.adminEmail}; or set google.adminEmail to an administrator who has such a role`,
        ),
      );
      return accessReport(findings);
    }
    if (own.kind === 'failed') return accessReport([...findings, apiFinding(own.failure)]);
    const userCount = (own.data as { users?: unknown[] | null }).users?.length ?? 0;

    let usersOk = true;
    const scope = accountScope(settings);
    for (const [what, params] of [
      [
        'customerId',
        settings.customerId !== undefined && settings.customerId.toLowerCase() !== 'my_customer'
          ? { customer: settings.customerId }
          : null,
      ],
      ['domain', settings.domain !== undefined ? { domain: settings.domain } : null],
    ] as const) {
      if (params === null) continue;
      const p = await probe('users.list', (admin, options) =>
        admin.users.list({ ...params, maxResults: 1, fields: 'users(id)' }, options),
      );
      if (denied(p)) {
        usersOk = false;
        const value = what === 'domain' ? settings.domain : settings.customerId;
        findings.push(
          what === 'domain'
            ? finding(
                'DOMAIN_NOT_FOUND',
                'ERROR',
                `wrong domain: ${value} is not a domain of the Workspace account ${settings.adminEmail} administers (google.domain must be its primary domain or one of its secondary domains)`,
                `Google Admin console → Account → Domains → Manage domains: set google.domain to the primary domain or a verified secondary domain listed there (or remove google.domain to read the whole account)`,
              )
            : finding(
                'CUSTOMER_NOT_FOUND',
                'ERROR',
                `wrong customer ID: ${value} is not the customer ID of the Workspace account ${settings.adminEmail} administers (Admin console → Account → Account settings → Customer ID, or 'my_customer')`,
                `Google Admin console → Account → Account settings → Profile → Customer ID: set google.customerId to it, or to my_customer`,
              ),
        );
      } else if (p.kind === 'failed') {
        usersOk = false;
        findings.push(apiFinding(p.failure));
      }
    }
    if (usersOk) {
      findings.push(finding('CAN_READ', 'INFO', 'can read users'));
      if (userCount === 0)
        findings.push(
          finding(
            'NO_USERS_VISIBLE',
            'WARNING',
            `${settings.adminEmail} sees no users: a sync would find the account empty`,
            `Google Admin console → Account → Admin roles → the role of ${settings.adminEmail} → Admins: its assignment must cover the organizational units that hold the users (or use the Super Admin role); check Directory → Users`,
          ),
        );
    }

    const groups = await probe('groups.list', (admin, options) =>
      admin.groups.list({ ...scope, maxResults: 1, fields: 'groups(id)' }, options),
    );
    let groupId: string | undefined;
    if (groups.kind === 'ok') {
      findings.push(finding('CAN_READ', 'INFO', 'can read groups'));
      groupId = (groups.data as { groups?: { id?: string | null }[] }).groups?.[0]?.id ?? undefined;
    } else if (denied(groups) && usersOk) {
      findings.push(
        finding(
          'MISSING_PERMISSION',
          'ERROR',
          `${settings.adminEmail} can read users but not groups: give its admin role the Groups → Read privilege (${detail(groups)})`,
          groupsPrivilegeFix(settings),
        ),
      );
    } else if (!denied(groups)) findings.push(apiFinding(groups.failure));

    let membersRead = false;
    if (groupId !== undefined) {
      const id = groupId;
      const members = await probe('members.list', (admin, options) =>
        admin.members.list({ groupKey: id, maxResults: 1, fields: 'members(id)' }, options),
      );
      if (members.kind === 'ok') {
        membersRead = true;
        findings.push(finding('CAN_READ', 'INFO', 'can read group members'));
      } else
        findings.push(
          denied(members)
            ? finding(
                'MISSING_PERMISSION',
                'ERROR',
                `${settings.adminEmail} cannot read group members: give its admin role the Groups → Read privilege (${detail(members)})`,
                groupsPrivilegeFix(settings),
              )
            : apiFinding(members.failure),
        );
    } else if (groups.kind === 'ok')
      findings.push(finding('NO_GROUPS_VISIBLE', 'INFO', 'no groups to read members of (the account has none)'));
    if (findings.every((f) => f.severity !== 'ERROR'))
      findings.push(finding('OK', 'INFO', readSummary(userCount, groupId === undefined ? 0 : 1, membersRead)));
    return accessReport(findings);
  } finally {
    client.close();
  }
}

const UNEXPECTED_FIX =
  'the message quotes the answer; check the service account in the Google Cloud console (IAM & Admin → Service accounts) and its delegation in the Google Admin console (Security → Access and data control → API controls → Manage Domain Wide Delegation)';

function newKeyFix(account: string): string {
  return `Google Cloud console → IAM & Admin → Service accounts → ${account} → Keys → Add key → Create new key → JSON; point google.serviceAccountKeyFile at the downloaded file (or put its content in google.serviceAccountKey)`;
}

function delegationFix(key: ServiceAccountKey): string {
  return `Google Admin console → Security → Access and data control → API controls → Manage Domain Wide Delegation → Add new (or Edit the entry of client ID ${key.clientId}): Client ID ${key.clientId}, OAuth scopes ${SYNC_SCOPES.join(',')} (all three: editing replaces the list) → Authorize`;
}

function groupsPrivilegeFix(s: GoogleSettings): string {
  return `Google Admin console → Account → Admin roles → the role assigned to ${s.adminEmail} → Privileges → Admin API privileges → Groups → Read → Save (or assign ${s.adminEmail} the Super Admin role)`;
}

/** Answers of the API that are rate or quota limits (errors.ts decides). */
function throttled(f: GoogleFailure): boolean {
  return classify(f) === 'throttled';
}

/** An API probe that failed for a reason other than a refusal it names itself. */
function apiFinding(f: GoogleFailure): AccessFinding {
  if (throttled(f)) return throttledFinding(f.message);
  if (f.status === 0)
    return finding(
      'UNREACHABLE',
      'ERROR',
      f.message,
      'check that this machine reaches admin.googleapis.com (DNS, proxy, firewall), and leave google.rootUrl at its default https://admin.googleapis.com/',
    );
  if (f.status >= 500) return unavailableFinding(f.message);
  return finding('UNEXPECTED_ERROR', 'ERROR', f.message, UNEXPECTED_FIX);
}

function throttledFinding(message: string): AccessFinding {
  return finding(
    'THROTTLED',
    'ERROR',
    message,
    'Google Cloud console → APIs & Services → Admin SDK API → Quotas: the project is over its queries per minute; run the test again in a minute, or stop other tools using the same service account',
  );
}

function unavailableFinding(message: string): AccessFinding {
  return finding(
    'PROVIDER_UNAVAILABLE',
    'ERROR',
    message,
    'Google answered with a server error: run the test again later, and check the Google Workspace Status Dashboard',
  );
}

/** Asks the token endpoint for `scopes` with a new JWT client; null when a token came back. */
async function tokenProblem(credentials: Credentials, scopes: readonly string[]): Promise<GoogleFailure | null> {
  try {
    const jwt = await credentials.jwt(scopes);
    await jwt.authorize();
    return null;
  } catch (error) {
    return asFailure(error, 'token');
  }
}

function tokenFinding(f: GoogleFailure, key: ServiceAccountKey, s: GoogleSettings): AccessFinding {
  const clock = "synchronise this machine's clock (NTP): Google refuses assertions whose iat/exp are off";
  const disabled = `Google Cloud console → IAM & Admin → Service accounts: the account ${key.clientEmail} must exist and be enabled (⋮ → Enable); create a JSON key for it (Keys → Add key → Create new key) and put it in google.serviceAccountKeyFile`;
  if (f.reason === 'invalid_grant') {
    if (/account not found/i.test(f.detail)) {
      return finding(
        'UNKNOWN_CLIENT',
        'ERROR',
        `service account ${key.clientEmail} is unknown to Google (deleted, or the key belongs to an account that no longer exists): create a key for an existing service account (Google said: ${f.detail})`,
        disabled,
      );
    }
    if (/Invalid JWT Signature/i.test(f.detail)) {
      return finding(
        'INVALID_KEY',
        'ERROR',
        `the key ${key.privateKeyId ?? ''} of service account ${key.clientEmail} is not valid (deleted or disabled key): create a new JSON key (Google said: ${f.detail})`.replace(
          'key  of',
          'key of',
        ),
        newKeyFix(key.clientEmail),
      );
    }
    if (/Invalid email or User ID/i.test(f.detail)) {
      return finding(
        'ADMIN_NOT_FOUND',
        'ERROR',
        `the admin account ${s.adminEmail} does not exist or is suspended: google.adminEmail must be an active administrator of the domain (Google said: ${f.detail})`,
        `Google Admin console → Directory → Users: find an active (not suspended) administrator and put its primary email in google.adminEmail (it is ${s.adminEmail} now)`,
      );
    }
    if (/audience|short-lived|iat|exp/i.test(f.detail))
      return finding(
        'CLOCK_SKEW',
        'ERROR',
        `the token request was refused: ${f.detail} (check this machine's clock)`,
        clock,
      );
  }
  if (f.reason === 'invalid_scope')
    return finding('UNEXPECTED_ERROR', 'ERROR', `a requested scope is invalid: ${f.detail}`, delegationFix(key));
  if (f.reason === 'invalid_client' || f.reason === 'disabled_client')
    return finding(
      'UNKNOWN_CLIENT',
      'ERROR',
      `service account ${key.clientEmail} is disabled or unknown: ${f.detail}`,
      disabled,
    );
  if (f.status === 0)
    return finding(
      'UNREACHABLE',
      'ERROR',
      `cannot reach the token endpoint ${s.tokenUrl}: ${f.detail}`,
      `check that this machine reaches ${s.tokenUrl} (DNS, proxy, firewall); leave google.tokenUrl at its default https://oauth2.googleapis.com/token`,
    );
  const message = `the token request was refused: ${f.message}`;
  if (f.status === 429) return throttledFinding(message);
  if (f.status >= 500) return unavailableFinding(message);
  return finding('UNEXPECTED_ERROR', 'ERROR', message, UNEXPECTED_FIX);
}

function stripPrefix(message: string, s: GoogleSettings): string {
  const prefix = `google directory ${s.directoryName}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

export { SCOPES };
