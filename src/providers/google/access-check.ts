import { DirectoryError } from '../../domain/errors';
import type { AccessReport } from '../provider';
import { DirectoryClient } from './client';
import { accountScope, type GoogleSettings } from './config';
import { Credentials, SCOPES, SYNC_SCOPES, type ServiceAccountKey } from './credentials';
import { asFailure, GoogleFailure } from './errors';
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
 */
export interface AccessCheckDeps {
  readonly settings: GoogleSettings;
  readonly pace: Pace;
  readonly policy: RetryPolicy;
}

type Probe = { kind: 'ok'; data: unknown } | { kind: 'failed'; failure: GoogleFailure };

export async function checkAccess(deps: AccessCheckDeps): Promise<AccessReport> {
  const { settings } = deps;
  const credentials = new Credentials(settings);
  let key: ServiceAccountKey;
  try {
    key = await credentials.serviceAccount();
  } catch (error) {
    return {
      ok: false,
      messages: [error instanceof DirectoryError ? stripPrefix(error.message, settings) : String(error)],
    };
  }

  // 2. The token, with the three scopes.
  const token = await tokenProblem(credentials, SYNC_SCOPES);
  if (token !== null) {
    if (token.reason !== 'unauthorized_client')
      return { ok: false, messages: [describeTokenFailure(token, key, settings)] };
    const missing: string[] = [];
    for (const scope of SYNC_SCOPES) if ((await tokenProblem(credentials, [scope])) !== null) missing.push(scope);
    const list = missing.length > 0 ? missing : [...SYNC_SCOPES];
    return {
      ok: false,
      messages: list.map(
        (scope) =>
          `domain-wide delegation does not grant scope ${scope} to client ID ${key.clientId} (service account ${key.clientEmail}): add it in the Admin console under Security → Access and data control → API controls → Domain-wide delegation`,
      ),
    };
  }
  const messages = [
    `signed in as service account ${key.clientEmail} (client ID ${key.clientId}) impersonating ${settings.adminEmail}, with the three read-only directory scopes`,
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
  const denied = (p: Probe): boolean => p.kind === 'failed' && p.failure.status === 403;
  const detail = (p: Probe): string => (p.kind === 'failed' ? p.failure.message : '');
  let ok = true;

  const own = await probe('users.list', (admin, options) =>
    admin.users.list({ customer: 'my_customer', maxResults: 1, fields: 'users(id)' }, options),
  );
  if (denied(own)) {
    return {
      ok: false,
      messages: [
        ...messages,
        `${settings.adminEmail} is not a Workspace administrator, or its admin role lacks the Users → Read privilege (assign it the Super Admin role, or a role with Users, Groups and Organizational Units read privileges): ${detail(own)}`,
      ],
    };
  }
  if (own.kind === 'failed') return { ok: false, messages: [...messages, detail(own)] };

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
      ok = false;
      const value = what === 'domain' ? settings.domain : settings.customerId;
      messages.push(
        what === 'domain'
          ? `wrong domain: ${value} is not a domain of the Workspace account ${settings.adminEmail} administers (google.domain must be its primary domain or one of its secondary domains)`
          : `wrong customer ID: ${value} is not the customer ID of the Workspace account ${settings.adminEmail} administers (Admin console → Account → Account settings → Customer ID, or 'my_customer')`,
      );
    } else if (p.kind === 'failed') {
      ok = false;
      messages.push(detail(p));
    }
  }
  if (ok) messages.push('can read users');

  const groups = await probe('groups.list', (admin, options) =>
    admin.groups.list({ ...scope, maxResults: 1, fields: 'groups(id)' }, options),
  );
  let groupId: string | undefined;
  if (groups.kind === 'ok') {
    messages.push('can read groups');
    groupId = (groups.data as { groups?: { id?: string | null }[] }).groups?.[0]?.id ?? undefined;
  } else if (denied(groups) && ok) {
    ok = false;
    messages.push(
      `${settings.adminEmail} can read users but not groups: give its admin role the Groups → Read privilege (${detail(groups)})`,
    );
  } else if (!denied(groups)) {
    ok = false;
    messages.push(detail(groups));
  }

  if (groupId !== undefined) {
    const id = groupId;
    const members = await probe('members.list', (admin, options) =>
      admin.members.list({ groupKey: id, maxResults: 1, fields: 'members(id)' }, options),
    );
    if (members.kind === 'ok') messages.push('can read group members');
    else {
      ok = false;
      messages.push(
        denied(members)
          ? `${settings.adminEmail} cannot read group members: give its admin role the Groups → Read privilege (${detail(members)})`
          : detail(members),
      );
    }
  } else if (groups.kind === 'ok') messages.push('no groups to read members of (the account has none)');
  client.close();
  return { ok, messages };
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

function describeTokenFailure(f: GoogleFailure, key: ServiceAccountKey, s: GoogleSettings): string {
  if (f.reason === 'invalid_grant') {
    if (/account not found/i.test(f.detail)) {
      return `service account ${key.clientEmail} is unknown to Google (deleted, or the key belongs to an account that no longer exists): create a key for an existing service account (Google said: ${f.detail})`;
    }
    if (/Invalid JWT Signature/i.test(f.detail)) {
      return `the key ${key.privateKeyId ?? ''} of service account ${key.clientEmail} is not valid (deleted or disabled key): create a new JSON key (Google said: ${f.detail})`.replace(
        'key  of',
        'key of',
      );
    }
    if (/Invalid email or User ID/i.test(f.detail)) {
      return `the admin account ${s.adminEmail} does not exist or is suspended: google.adminEmail must be an active administrator of the domain (Google said: ${f.detail})`;
    }
    if (/audience|short-lived|iat|exp/i.test(f.detail))
      return `the token request was refused: ${f.detail} (check this machine's clock)`;
  }
  if (f.reason === 'invalid_scope') return `a requested scope is invalid: ${f.detail}`;
  if (f.reason === 'invalid_client' || f.reason === 'disabled_client')
    return `service account ${key.clientEmail} is disabled or unknown: ${f.detail}`;
  if (f.status === 0) return `cannot reach the token endpoint ${s.tokenUrl}: ${f.detail}`;
  return `the token request was refused: ${f.message}`;
}

function stripPrefix(message: string, s: GoogleSettings): string {
  const prefix = `google directory ${s.directoryName}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

export { SCOPES };
