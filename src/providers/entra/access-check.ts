import { certificateExpiry } from './certificate-expiry';
import type { Dispatcher } from 'undici';
import { DirectoryError } from '../../domain/errors';
import { accessReport, finding, readSummary, type AccessFinding, type AccessReport } from '../provider';
import { GraphClient } from './client';
import type { EntraSettings } from './config';
import { AppTokenSource, probeAuthority } from './credentials';
import { aadstsCode, GraphFailure } from './errors';
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
 *
 * Each line is a finding with a stable code (../provider.ts FindingCode) and a fix in the Microsoft
 * Entra admin center's words: AADSTS90002 → UNKNOWN_TENANT, 700016 → UNKNOWN_CLIENT, 7000215 →
 * WRONG_SECRET (SECRET_ID_INSTEAD_OF_VALUE when the secret is a GUID), 7000222 →
 * EXPIRED_CREDENTIAL, 700027 / unreadable certificate → INVALID_KEY, 403 on a probe →
 * MISSING_PERMISSION, no answer → UNREACHABLE (UNTRUSTED_CERTIFICATE for a TLS failure), 429 →
 * THROTTLED, 5xx → PROVIDER_UNAVAILABLE; all probes passing → one OK.
 */
export interface AccessCheckDeps {
  readonly settings: EntraSettings;
  readonly dispatcher: Dispatcher;
  readonly bucket: ResourceBucket;
  readonly policy: RetryPolicy;
}

const NO_GROUP = '00000000-0000-0000-0000-000000000000';
const DAY_MS = 86_400_000;
/** What a Secret ID looks like (config.ts refuses it too; settings built without the parser reach here). */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ADMIN_CENTER = 'Microsoft Entra admin center';

export async function checkAccess(deps: AccessCheckDeps): Promise<AccessReport> {
  const { settings } = deps;
  const fixes = new Fixes(settings);
  if (settings.credential.kind === 'secret' && GUID.test(settings.credential.clientSecret.trim())) {
    return accessReport([
      finding(
        'SECRET_ID_INSTEAD_OF_VALUE',
        'ERROR',
        'entra.clientSecret looks like the secret ID (a GUID): use the secret Value, shown once when the secret was created',
        fixes.newSecret('the Value column (not Secret ID)'),
      ),
    ]);
  }
  const findings: AccessFinding[] = [];
  // The authority's metadata first: one quick GET tells an unknown tenant, an unreachable host
  // or an untrusted certificate apart (msal would retry for seconds and then say only
  // `endpoints_resolution_error`).
  const authority = await probeAuthority(settings, deps.dispatcher, deps.bucket.stats);
  if (authority !== null) return accessReport([credentialFinding(authority, settings, fixes)]);
  const tokens = new AppTokenSource(settings, deps.dispatcher, Date.now, undefined, deps.bucket.stats);
  let token: string;
  try {
    token = await tokens.token();
  } catch (error) {
    return accessReport([failureFinding(error, settings, fixes)]);
  }
  findings.push(
    finding(
      'SIGNED_IN',
      'INFO',
      `signed in as application ${settings.clientId} in tenant ${settings.tenantId}${granted(token)}`,
    ),
  );
  // Probes are few and must not wait long: bounded retries, our own pacing.
  const client = new GraphClient({
    graphBaseUrl: settings.graphBaseUrl,
    tokens,
    bucket: deps.bucket,
    policy: { ...deps.policy, maxAttempts: 2, maxThrottleRetries: 2 },
    dispatcher: deps.dispatcher,
  });

  if (settings.credential.kind === 'secret')
    findings.push(await secretExpiry(client, settings.clientId, settings.credential.clientSecret, fixes));
  else {
    const expiry = await certificateExpiry(settings.credential, fixes.certificate());
    if (expiry) findings.push(expiry);
  }

  const users = await probe(client, '/users?$top=1&$select=id');
  let userCount = 0;
  if (users.kind === 'ok') {
    findings.push(finding('CAN_READ', 'INFO', 'can read users'));
    userCount = (users.body as { value?: unknown[] }).value?.length ?? 0;
    if (userCount === 0)
      findings.push(
        finding(
          'NO_USERS_VISIBLE',
          'WARNING',
          'Graph listed no users: a sync would find the directory empty',
          `${ADMIN_CENTER} → Users → All users: check that the tenant ${settings.tenantId} has users, and that entra.tenantId names the tenant you mean`,
        ),
      );
  } else
    findings.push(
      probeFinding(
        users,
        `missing application permission User.Read.All (or Directory.Read.All): ${users.detail}`,
        fixes.permission('User.Read.All'),
        settings,
        fixes,
      ),
    );

  const groups = await probe(client, '/groups?$top=1&$select=id');
  let groupId = NO_GROUP;
  if (groups.kind === 'ok') {
    findings.push(finding('CAN_READ', 'INFO', 'can read groups'));
    const first = (groups.body as { value?: { id?: unknown }[] }).value?.[0]?.id;
    if (typeof first === 'string') groupId = first;
  } else
    findings.push(
      probeFinding(
        groups,
        `missing application permission Group.Read.All (or GroupMember.Read.All, or Directory.Read.All): ${groups.detail}`,
        fixes.permission('Group.Read.All'),
        settings,
        fixes,
      ),
    );

  // With no group to look at, an id that does not exist still tells 403 (no permission) from 404.
  const members = await probe(client, `/groups/${groupId}/members?$top=1&$select=id`);
  if (members.kind === 'ok' || (members.kind === 'failed' && members.status === 404))
    findings.push(finding('CAN_READ', 'INFO', 'can read group members'));
  else
    findings.push(
      probeFinding(
        members,
        `missing application permission GroupMember.Read.All (or Group.Read.All, or Directory.Read.All): ${members.detail}`,
        fixes.permission('GroupMember.Read.All'),
        settings,
        fixes,
      ),
    );

  if (findings.every((f) => f.severity !== 'ERROR'))
    findings.push(finding('OK', 'INFO', readSummary(userCount, groupId === NO_GROUP ? 0 : 1, groupId !== NO_GROUP)));

  if (settings.passwordAuthentication) {
    const app = settings.publicClientId ?? settings.clientId;
    findings.push(
      finding(
        'PASSWORD_AUTHENTICATION',
        'INFO',
        `password authentication is on: app ${app} must allow public client flows; accounts that need MFA or sign in through a federated IdP cannot log in with a password`,
        `${ADMIN_CENTER} → App registrations → the app with Application (client) ID ${app} → Authentication → Advanced settings → Allow public client flows: Yes, then Save`,
      ),
    );
  }
  return accessReport(findings);
}

/** The portal steps, naming this registration. */
class Fixes {
  readonly app: string;

  constructor(private readonly settings: EntraSettings) {
    this.app = `${ADMIN_CENTER} → App registrations → the app with Application (client) ID ${settings.clientId}`;
  }

  permission(name: string): string {
    return `${this.app} → API permissions → Add a permission → Microsoft Graph → Application permissions → ${name}, then Grant admin consent for the tenant (a Delegated permission, or one without admin consent, does not count)`;
  }

  newSecret(copy: string): string {
    return `${this.app} → Certificates & secrets → Client secrets → New client secret; copy ${copy} right after creating it (it is shown once) into entra.clientSecret`;
  }

  tenant(): string {
    return `${ADMIN_CENTER} → Identity → Overview: copy the Tenant ID (or a domain listed under Settings → Domain names) into entra.tenantId; it is '${this.settings.tenantId}' now`;
  }

  client(): string {
    return `${ADMIN_CENTER} → App registrations → All applications: open the app crowdgate uses and copy its Application (client) ID (not the Object ID) into entra.clientId; the app must be registered in tenant ${this.settings.tenantId}`;
  }

  certificate(): string {
    return `${this.app} → Certificates & secrets → Certificates → Upload certificate: the public certificate of entra.certificatePath / entra.certificate (PEM with the certificate and its private key, readable by crowdgate)`;
  }

  reach(): string {
    return `check entra.authorityHost (https://login.microsoftonline.com, or your national cloud's) and entra.graphBaseUrl (https://graph.microsoft.com), and that this machine reaches them (DNS, proxy, firewall)`;
  }

  trust(): string {
    return `set entra.caCertificate to the PEM of the CA that issued the host's certificate (a TLS-inspecting proxy or private CA), or leave entra.authorityHost at https://login.microsoftonline.com`;
  }

  throttled(): string {
    return `Microsoft Graph throttles this app in tenant ${this.settings.tenantId}: run the test again in a minute; if it persists, lower entra.resourceUnitBudget or stop other tools using the app registration (${ADMIN_CENTER} → App registrations → Application (client) ID ${this.settings.clientId})`;
  }

  unavailable(): string {
    return `the Microsoft service answered with a server error: run the test again later, and check Microsoft 365 admin center → Health → Service health`;
  }

  unexpected(code: number | null): string {
    return code === null
      ? `the message quotes the answer; check the tenant and app registration in the ${ADMIN_CENTER} (App registrations → Application (client) ID ${this.settings.clientId})`
      : `look AADSTS${code} up at https://login.microsoftonline.com/error?code=${code}, then fix the app registration in the ${ADMIN_CENTER} (App registrations → Application (client) ID ${this.settings.clientId})`;
  }
}

/**
 * A credential failure (the authority probe's answer or a token request's DirectoryError) as a
 * finding. The words come from credentials.ts / errors.ts (`describeAadsts`, `probeAuthority`):
 * the AADSTS code they carry decides, otherwise their opening words.
 */
function credentialFinding(message: string, settings: EntraSettings, fixes: Fixes): AccessFinding {
  const code = aadstsCode(message);
  switch (code) {
    case 90002:
      return finding('UNKNOWN_TENANT', 'ERROR', message, fixes.tenant());
    case 700016:
      return finding('UNKNOWN_CLIENT', 'ERROR', message, fixes.client());
    case 7000215:
    case 7000218:
      return settings.credential.kind === 'secret' && GUID.test(settings.credential.clientSecret.trim())
        ? finding('SECRET_ID_INSTEAD_OF_VALUE', 'ERROR', message, fixes.newSecret('the Value column (not Secret ID)'))
        : finding('WRONG_SECRET', 'ERROR', message, fixes.newSecret('its Value (not the Secret ID)'));
    case 7000222:
      return finding(
        'EXPIRED_CREDENTIAL',
        'ERROR',
        message,
        `${fixes.newSecret('its Value')}; then delete the expired secret`,
      );
    case 700027:
      return finding('INVALID_KEY', 'ERROR', message, fixes.certificate());
    case null:
      break;
    default:
      return finding('UNEXPECTED_ERROR', 'ERROR', message, fixes.unexpected(code));
  }
  const unreachable = /^cannot reach the authority host \S+ \(([^)]*)\)/.exec(message);
  if (unreachable !== null) {
    return /CERT|certificate|self.signed|UNABLE_TO_VERIFY/i.test(unreachable[1] ?? '')
      ? finding('UNTRUSTED_CERTIFICATE', 'ERROR', message, fixes.trust())
      : finding('UNREACHABLE', 'ERROR', message, fixes.reach());
  }
  const answered = /^the authority host \S+ answered (\d+)/.exec(message);
  if (answered !== null) {
    const status = Number(answered[1]);
    if (status >= 500) return finding('PROVIDER_UNAVAILABLE', 'ERROR', message, fixes.unavailable());
    if (status === 429) return finding('THROTTLED', 'ERROR', message, fixes.throttled());
    return finding('WRONG_URL', 'ERROR', message, fixes.reach());
  }
  if (/^cannot read the certificate file|^entra\.certificate/.test(message))
    return finding('INVALID_KEY', 'ERROR', message, fixes.certificate());
  if (/^could not obtain a Graph token/.test(message)) return finding('UNREACHABLE', 'ERROR', message, fixes.reach());
  return finding('UNEXPECTED_ERROR', 'ERROR', message, fixes.unexpected(null));
}

/** Whatever a token request or a probe threw, as a finding. */
function failureFinding(error: unknown, settings: EntraSettings, fixes: Fixes): AccessFinding {
  if (error instanceof DirectoryError)
    return credentialFinding(withoutPrefix(error.message, settings), settings, fixes);
  return finding('UNEXPECTED_ERROR', 'ERROR', String(error), fixes.unexpected(null));
}

/** A probe that did not pass: 403 is the permission named by `denied`; anything else says what happened. */
function probeFinding(
  result: Exclude<ProbeResult, { kind: 'ok' }>,
  denied: string,
  permissionFix: string,
  settings: EntraSettings,
  fixes: Fixes,
): AccessFinding {
  if (result.kind === 'denied') return finding('MISSING_PERMISSION', 'ERROR', denied, permissionFix);
  const { status, detail, error } = result;
  if (!(error instanceof GraphFailure)) return failureFinding(error, settings, fixes);
  if (status === 429) return finding('THROTTLED', 'ERROR', detail, fixes.throttled());
  if (status === 0) return finding('UNREACHABLE', 'ERROR', detail, fixes.reach());
  if (status >= 500) return finding('PROVIDER_UNAVAILABLE', 'ERROR', detail, fixes.unavailable());
  if (status === 404) return finding('WRONG_URL', 'ERROR', detail, fixes.reach());
  return finding('UNEXPECTED_ERROR', 'ERROR', detail, fixes.unexpected(null));
}

type ProbeResult =
  | { kind: 'ok'; body: unknown }
  | { kind: 'denied'; detail: string }
  | { kind: 'failed'; status: number; detail: string; error: unknown };

async function probe(client: GraphClient, url: string): Promise<ProbeResult> {
  try {
    return { kind: 'ok', body: await client.get(url) };
  } catch (error) {
    if (error instanceof GraphFailure) {
      if (error.status === 403) return { kind: 'denied', detail: `${error.request} was refused (403 ${error.code})` };
      return { kind: 'failed', status: error.status, detail: error.message, error };
    }
    return {
      kind: 'failed',
      status: 0,
      detail: error instanceof DirectoryError ? error.message : String(error),
      error,
    };
  }
}

/**
 * Days left on the secret in use: `passwordCredentials[].hint` holds a secret's first three
 * characters (https://learn.microsoft.com/en-us/graph/api/resources/passwordcredential), `endDateTime` its expiry.
 */
async function secretExpiry(
  client: GraphClient,
  clientId: string,
  secret: string,
  fixes: Fixes,
): Promise<AccessFinding> {
  const cannot = finding(
    'SECRET_EXPIRY',
    'INFO',
    'cannot tell when the client secret expires (reading the app registration needs Application.Read.All); check Certificates & secrets in the Entra admin center',
    `${fixes.app} → Certificates & secrets → Client secrets: note the Expires date; to have crowdgate tell, add the Application permission Application.Read.All (API permissions → Add a permission → Microsoft Graph → Application permissions) and Grant admin consent`,
  );
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
  const date = new Date(ends).toISOString().slice(0, 10);
  return {
    ...finding(
      'SECRET_EXPIRY',
      days < 30 ? 'WARNING' : 'INFO',
      `the client secret expires in ${days} day${days === 1 ? '' : 's'} (${date})${days < 30 ? ': create a new one soon' : ''}`,
      `${fixes.newSecret('its Value')} before ${date}, then delete the old secret`,
    ),
    expiresAt: new Date(ends),
  };
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
