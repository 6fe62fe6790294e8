import type { Dispatcher } from 'undici';
import { DirectoryError } from '../../domain/errors';
import type { AccessReport } from '../provider';
import { GraphClient } from './client';
import type { EntraSettings } from './config';
import { AppTokenSource, probeAuthority } from './credentials';
import { GraphFailure } from './errors';
import type { RetryPolicy } from '../shared/retry';
import type { ResourceBucket } from './pacing';

/**
 * `checkAccess()`: what an administrator needs to fix, one finding per line.
 *
 * 1. The authority (unknown tenant AADSTS90002, unreachable or untrusted host), then a fresh token
 *    (no cache): unknown client id (700016), wrong secret (7000215), expired secret (7000222).
 * 2. When the current client secret expires, if Graph tells (reading the app registration needs
 *    Application.Read.All, which a sync app usually lacks: then we say we cannot tell).
 * 3. Each permission the sync needs, found by probing (permissions reference; any one listed suffices):
 *    GET /users?$top=1 (User.Read.All), GET /groups?$top=1 (Group.Read.All or GroupMember.Read.All),
 *    GET /groups/{id}/members?$top=1 (GroupMember.Read.All or Group.Read.All); Directory.Read.All covers all three.
 */
export interface AccessCheckDeps {
  readonly settings: EntraSettings;
  readonly dispatcher: Dispatcher;
  readonly bucket: ResourceBucket;
  readonly policy: RetryPolicy;
}

const NO_GROUP = '00000000-0000-0000-0000-000000000000';
const DAY_MS = 86_400_000;

export async function checkAccess(deps: AccessCheckDeps): Promise<AccessReport> {
  const { settings } = deps;
  const messages: string[] = [];
  // The authority's metadata first: one quick GET tells an unknown tenant, an unreachable host
  // or an untrusted certificate apart (msal would retry for seconds and then say only
  // `endpoints_resolution_error`).
  const authority = await probeAuthority(settings, deps.dispatcher);
  if (authority !== null) return { ok: false, messages: [authority] };
  const tokens = new AppTokenSource(settings, deps.dispatcher);
  let token: string;
  try {
    token = await tokens.token();
  } catch (error) {
    messages.push(error instanceof DirectoryError ? withoutPrefix(error.message, settings) : String(error));
    return { ok: false, messages };
  }
  messages.push(`signed in as application ${settings.clientId} in tenant ${settings.tenantId}${granted(token)}`);
  // Probes are few and must not wait long: bounded retries, our own pacing.
  const client = new GraphClient({
    graphBaseUrl: settings.graphBaseUrl,
    tokens,
    bucket: deps.bucket,
    policy: { ...deps.policy, maxAttempts: 2, maxThrottleRetries: 2 },
    dispatcher: deps.dispatcher,
  });
  let ok = true;

  if (settings.credential.kind === 'secret')
    messages.push(await secretExpiry(client, settings.clientId, settings.credential.clientSecret));

  const users = await probe(client, '/users?$top=1&$select=id');
  if (users.kind === 'ok') messages.push('can read users');
  else {
    ok = false;
    messages.push(
      users.kind === 'denied'
        ? `missing application permission User.Read.All (or Directory.Read.All): ${users.detail}`
        : users.detail,
    );
  }

  const groups = await probe(client, '/groups?$top=1&$select=id');
  let groupId = NO_GROUP;
  if (groups.kind === 'ok') {
    messages.push('can read groups');
    const first = (groups.body as { value?: { id?: unknown }[] }).value?.[0]?.id;
    if (typeof first === 'string') groupId = first;
  } else {
    ok = false;
    messages.push(
      groups.kind === 'denied'
        ? `missing application permission Group.Read.All (or GroupMember.Read.All, or Directory.Read.All): ${groups.detail}`
        : groups.detail,
    );
  }

  // With no group to look at, an id that does not exist still tells 403 (no permission) from 404.
  const members = await probe(client, `/groups/${groupId}/members?$top=1&$select=id`);
  if (members.kind === 'ok' || (members.kind === 'failed' && members.status === 404))
    messages.push('can read group members');
  else {
    ok = false;
    messages.push(
      members.kind === 'denied'
        ? `missing application permission GroupMember.Read.All (or Group.Read.All, or Directory.Read.All): ${members.detail}`
        : members.detail,
    );
  }

  if (settings.passwordAuthentication) {
    messages.push(
      `password authentication is on: app ${settings.publicClientId ?? settings.clientId} must allow public client flows; accounts that need MFA or sign in through a federated IdP cannot log in with a password`,
    );
  }
  return { ok, messages };
}

type ProbeResult =
  | { kind: 'ok'; body: unknown }
  | { kind: 'denied'; detail: string }
  | { kind: 'failed'; status: number; detail: string };

async function probe(client: GraphClient, url: string): Promise<ProbeResult> {
  try {
    return { kind: 'ok', body: await client.get(url) };
  } catch (error) {
    if (error instanceof GraphFailure) {
      if (error.status === 403) return { kind: 'denied', detail: `${error.request} was refused (403 ${error.code})` };
      return { kind: 'failed', status: error.status, detail: error.message };
    }
    return { kind: 'failed', status: 0, detail: error instanceof DirectoryError ? error.message : String(error) };
  }
}

/**
 * Days left on the secret in use: `passwordCredentials[].hint` holds a secret's first three
 * characters (https://learn.microsoft.com/en-us/graph/api/resources/passwordcredential), `endDateTime` its expiry.
 */
async function secretExpiry(client: GraphClient, clientId: string, secret: string): Promise<string> {
  const cannot =
    'cannot tell when the client secret expires (reading the app registration needs Application.Read.All); check Certificates & secrets in the Entra admin center';
  let body: unknown;
  try {
    body = await client.get(
      `/applications?$filter=${encodeURIComponent(`appId eq '${clientId}'`)}&$select=appId,passwordCredentials`,
    );
  } catch {
    return cannot;
  }
  const app = (body as { value?: { passwordCredentials?: { hint?: unknown; endDateTime?: unknown }[] }[] }).value?.[0];
  const candidates = (app?.passwordCredentials ?? []).filter(
    (c) => typeof c.endDateTime === 'string' && (typeof c.hint !== 'string' || secret.startsWith(c.hint)),
  );
  if (candidates.length === 0) return cannot;
  const ends = Math.min(...candidates.map((c) => Date.parse(c.endDateTime as string)).filter((t) => !Number.isNaN(t)));
  if (!Number.isFinite(ends)) return cannot;
  const days = Math.floor((ends - Date.now()) / DAY_MS);
  return `the client secret expires in ${days} day${days === 1 ? '' : 's'} (${new Date(ends).toISOString().slice(0, 10)})${days < 30 ? ': create a new one soon' : ''}`;
}

/** The application permissions the token says were granted (`roles` claim), for the report. */
function granted(token: string): string {
  const payload = token.split('.')[1];
  if (payload === undefined) return '';
  try {
    const roles = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { roles?: unknown }).roles;
    if (!Array.isArray(roles)) return '; the token carries no application permissions';
    return `; granted application permissions: ${roles
      .filter((r): r is string => typeof r === 'string')
      .sort()
      .join(', ')}`;
  } catch {
    return '';
  }
}

function withoutPrefix(message: string, settings: EntraSettings): string {
  const prefix = `entra directory ${settings.directoryName}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
