/*
 * One shape per connector: every vendor folder (entra/, google/, okta/, and any later one) uses
 * the same file names for the same jobs, so whoever learned one connector can read the others.
 *
 *   index.ts         the provider class(es) and the `create<Vendor>Provider` factory the registry calls
 *   config.ts        the settings schema and `parse<Vendor>Settings` (through ./settings.ts)
 *   credentials.ts   how access tokens or keys are obtained (absent where the vendor SDK does it: Okta)
 *   transport.ts     connection pool / request executor under the vendor SDK (absent for googleapis)
 *   client.ts        the API client: every request paced and retried (../shared/retry.ts)
 *   pacing.ts        the vendor's published limits (with the doc URL), its pacer, DEFAULT_RETRY_POLICY
 *   errors.ts        failure types, which answers are throttling or transient, toDirectoryError
 *   paging.ts        following a collection's pages (Okta: OktaClient.pages, the Link header)
 *   listing.ts       one full listing: users, then groups and members read ahead in the background
 *   mapper.ts        vendor records → ProviderUser / ProviderGroup
 *   delta.ts         the change feed, and cursor.ts its stored position (DeltaCapable vendors only)
 *   password.ts      password checks (PasswordCapable vendors only)
 *   access-check.ts  checkAccess(): credentials and permissions, each missing one named
 *
 * Vendor-only extras keep a name that says what they add (Entra: batch.ts for Graph $batch,
 * members.ts, member-*.ts for reading members ahead). What is not vendor-specific lives in
 * shared/: the clock, the retry loop, the adaptive token bucket, the concurrency gate, the
 * listing slot. tests/conformance/provider.conformance.ts checks every connector against this
 * contract.
 */

/**
 * The contract between crowdgate and one upstream directory, modelled on dex's connectors: a
 * small required core plus optional capabilities detected with type guards.
 *
 * Records are provider-neutral and carry the provider's immutable id. Listings are async
 * iterables so a provider can stream pages; the sync engine decides what to keep. A listing that
 * cannot be completed must throw: a partial listing must never look like deletions.
 */
export interface DirectoryProvider {
  /** `entra`, `google`, `okta` or `demo`. */
  readonly kind: string;
  users(): AsyncIterable<ProviderUser>;
  groups(): AsyncIterable<ProviderGroup>;
  /** Direct members of one group; members of kinds crowdgate does not sync are not returned. */
  members(group: ProviderGroup): AsyncIterable<ProviderMember>;
  /** Checks credentials and permissions (can it reach and read the directory?); names exactly what is missing. */
  checkAccess(): Promise<AccessReport>;
  /**
   * Answers the provider refused for its rate limits so far (Graph 429s, Google quota 403/429,
   * Okta 429s), counted since the provider opened; the engine reports a run's share. Optional.
   */
  throttledAnswers?(): number;
  /** Cumulative request statistics of this provider (for metrics, read at scrape time). Optional. */
  stats?(): ProviderStats;
}

/**
 * Cumulative counts since the provider opened (never reset; a reopened provider starts at 0,
 * which Prometheus reads as a counter reset). They cover every request the provider sends for its
 * directory — listings, change feeds, connection tests — except password checks (Entra ROPC, Okta
 * `/api/v1/authn`): those are end users' logins, not directory reads.
 */
export interface ProviderStats {
  /**
   * HTTP requests sent, each try on its own: to the provider's API (a Graph `$batch` is one
   * request) and to its token endpoint (Entra: everything the identity library sends to the
   * authority host, metadata included).
   */
  readonly requests: number;
  /**
   * Tries repeated after a throttling answer, a transient failure (5xx, no answer, timeout) or a
   * refused token — the request sent again, or (Entra) a `$batch` item submitted again.
   */
  readonly retries: number;
  /**
   * Answers refusing for rate limits, each one counted (also the last one of a request that gives
   * up): 429; Google's 403 rateLimitExceeded / userRateLimitExceeded / quotaExceeded; Entra `$batch`
   * items answered 429.
   */
  readonly throttled: number;
  /**
   * API calls whose caller got a failure, once per call after its retries: no answer, an error
   * answer (still throttled or 5xx when the retries ran out, 401 after a new token, any other
   * 4xx — also one the connector expects, like the 404 of a group deleted mid-listing), or no
   * token to send it with. Entra: also `$batch` items whose final answer is an error.
   */
  readonly errors: number;
  /**
   * Seconds callers were held back by the connector's pacing (token bucket, Okta's per-bucket
   * windows) and by the pauses after throttling answers (Retry-After, Google's backoff); summed
   * over callers (two callers held 1 s at once add 2 s). Not network time, not the concurrency
   * limit's queue, not the backoff after transient failures.
   */
  readonly rateLimitWaitSeconds: number;
}

export interface ProviderUser {
  readonly id: string;
  /** Primary login: UPN, Google primaryEmail, Okta login. */
  readonly login: string;
  readonly email: string;
  readonly givenName: string;
  readonly surname: string;
  readonly displayName: string;
  /** False for disabled, suspended or deprovisioned accounts. */
  readonly enabled: boolean;
  readonly guest: boolean;
  /** Further provider attributes a username projection or filter may use (department, samAccountName, …). */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface ProviderGroup {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

export type ProviderMember =
  { readonly kind: 'user'; readonly id: string } | { readonly kind: 'group'; readonly id: string };

/**
 * A connection test's verdict. `findings` are machine-readable (the administration console's
 * wizard keys on `code`); `messages` are the findings' messages in the same order, and `ok` is
 * true when no finding is an ERROR. Build one with `accessReport(findings)`.
 */
export interface AccessReport {
  readonly ok: boolean;
  /** One line per finding, e.g. "missing application permission Group.Read.All". */
  readonly messages: readonly string[];
  readonly findings: readonly AccessFinding[];
}

/** ERROR: crowdgate cannot sync until it is fixed. WARNING: it syncs, with a limitation. INFO: for the record. */
export type FindingSeverity = 'ERROR' | 'WARNING' | 'INFO';

/**
 * What one finding is about: a closed list, stable across releases (clients switch on it). The
 * connector that raises a code names the exact key, permission or scope in the finding's message.
 */
export type FindingCode =
  /** INFO: every read probe passed (there is no ERROR); the message says what was read ("read 1 user, 1 group and its members"). */
  | 'OK'
  /** INFO: the credential was accepted: as which application, service account or token, with which permissions or scopes. */
  | 'SIGNED_IN'
  /** INFO: one read probe passed ("can read users", "can read groups", "can read group members", the Okta System Log). */
  | 'CAN_READ'
  /** ERROR: Entra: an application permission is not granted or not admin-consented (Graph 403 Authorization_RequestDenied); Google: the admin role lacks a Groups → Read privilege; Okta: the token's admin or the service app lacks the admin role to read groups or members. WARNING when only incremental runs suffer (Okta System Log). */
  | 'MISSING_PERMISSION'
  /** ERROR: the secret was refused: Entra AADSTS7000215 (wrong client secret), Okta 401 E0000011 (API token wrong, revoked or expired) or an OAuth access token Okta will not take. */
  | 'WRONG_SECRET'
  /** ERROR: Entra: the configured client secret is a GUID, i.e. the secret's "Secret ID" column was copied instead of its "Value". */
  | 'SECRET_ID_INSTEAD_OF_VALUE'
  /** ERROR: Entra: no such tenant (AADSTS90002): entra.tenantId is neither the Directory (tenant) ID nor a verified domain. */
  | 'UNKNOWN_TENANT'
  /** ERROR: the client is unknown: Entra AADSTS700016 (no app registration with that Application (client) ID); Google: the service account does not exist or is disabled; Okta invalid_client for an unknown Client ID. */
  | 'UNKNOWN_CLIENT'
  /** ERROR: a scope is not granted: Google domain-wide delegation lacks a scope for the client ID (unauthorized_client); Okta: a scope is not granted to the service app or not in okta.scopes (invalid_scope, 403 insufficient_scope). WARNING when only incremental runs suffer (okta.logs.read). */
  | 'MISSING_SCOPE'
  /** ERROR: Google: the impersonated google.adminEmail does not exist or is suspended (invalid_grant "Invalid email or User ID"). */
  | 'ADMIN_NOT_FOUND'
  /** ERROR: the identity crowdgate acts as may not read users: Google: google.adminEmail is no administrator (users.list 403); Okta: the API token's admin or the service app has no admin role (403 E0000006 on users). */
  | 'NOT_AN_ADMIN'
  /** ERROR: Google: google.domain is not a domain of the Workspace account the admin administers. */
  | 'DOMAIN_NOT_FOUND'
  /** ERROR: Google: google.customerId is not the customer ID of the Workspace account the admin administers. */
  | 'CUSTOMER_NOT_FOUND'
  /** ERROR: a key or certificate is unusable: Google service-account key missing, malformed or deleted ("Invalid JWT Signature"); Entra certificate unreadable or not uploaded (AADSTS700027); Okta private key that cannot sign or whose public key the app does not have. */
  | 'INVALID_KEY'
  /** ERROR: Entra: the client secret has expired (AADSTS7000222). */
  | 'EXPIRED_CREDENTIAL'
  /** INFO, or WARNING when fewer than 30 days are left: Entra: when the client secret expires, or that it cannot be told. */
  | 'SECRET_EXPIRY'
  /** ERROR: no answer: connection refused, DNS failure, timeout (authority host, token endpoint, API, Okta org). */
  | 'UNREACHABLE'
  /** ERROR: the host answered over TLS with a certificate this machine does not trust (a TLS-inspecting proxy, a private CA). */
  | 'UNTRUSTED_CERTIFICATE'
  /** ERROR: the configured URL answers, but not as the provider (Entra authority host or Graph URL answering 404; okta.orgUrl not an Okta org). */
  | 'WRONG_URL'
  /** ERROR: the provider kept answering 5xx (an outage at its end). */
  | 'PROVIDER_UNAVAILABLE'
  /** ERROR: the provider kept throttling the probes (Graph 429, Google 429 or 403 rate/quota reasons, Okta 429 E0000047). */
  | 'THROTTLED'
  /** ERROR: a signed assertion was refused for its time claims: this machine's clock is off (Google iat/exp, Okta client_assertion expired). */
  | 'CLOCK_SKEW'
  /** ERROR: Okta: the OAuth app may not use the client credentials grant (unauthorized_client): it is not an API Services app. */
  | 'WRONG_APP_TYPE'
  /** WARNING: the credential works but the user listing came back empty: the identity sees no users (a role scoped to an empty unit). */
  | 'NO_USERS_VISIBLE'
  /** INFO: the account has no groups, so members could not be read (Google). */
  | 'NO_GROUPS_VISIBLE'
  /** INFO: password authentication is on and available, with what it cannot do (MFA, federated accounts) and what it needs. */
  | 'PASSWORD_AUTHENTICATION'
  /** WARNING: password authentication is on, but the provider does not offer it (Okta Identity Engine: no /api/v1/authn). */
  | 'PASSWORD_AUTHENTICATION_UNAVAILABLE'
  /** INFO: a rate limit the provider reported, and the share crowdgate uses (Okta). */
  | 'RATE_LIMIT'
  /** ERROR: an answer or failure the connection test does not recognise (an unlisted AADSTS code, the test itself failing); the message quotes it. */
  | 'UNEXPECTED_ERROR';

export interface AccessFinding {
  readonly code: FindingCode;
  readonly severity: FindingSeverity;
  /** What was found, in an administrator's words; names keys, permissions and scopes, never a secret. */
  readonly message: string;
  /**
   * What to click or change, with the provider portal's own field names (Entra admin center,
   * Google Admin console / Google Cloud console, Okta Admin Console) and crowdgate's setting;
   * '' when there is nothing to do.
   */
  readonly fix: string;
  /** SECRET_EXPIRY: when the credential expires, where the provider tells. */
  readonly expiresAt?: Date;
}

export function finding(code: FindingCode, severity: FindingSeverity, message: string, fix = ''): AccessFinding {
  return { code, severity, message, fix };
}

/** The report of these findings: `messages` their messages, `ok` when none is an ERROR. */
export function accessReport(findings: readonly AccessFinding[]): AccessReport {
  return {
    ok: findings.every((f) => f.severity !== 'ERROR'),
    messages: findings.map((f) => f.message),
    findings: [...findings],
  };
}

/** The message of the OK finding: "read 1 user, 1 group and its members". `members`: whether the group's members were read. */
export function readSummary(users: number, groups: number, members: boolean): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const u = count(users, 'user', 'users');
  const g = count(groups, 'group', 'groups');
  return members && groups > 0 ? `read ${u}, ${g} and its members` : `read ${u} and ${g}`;
}

/** One upstream change, as a provider's change feed reports it. Applying one twice is harmless. */
export type ProviderChange =
  | { readonly kind: 'userUpserted'; readonly user: ProviderUser }
  | { readonly kind: 'userDeleted'; readonly id: string }
  | { readonly kind: 'groupUpserted'; readonly group: ProviderGroup }
  | { readonly kind: 'groupDeleted'; readonly id: string }
  | { readonly kind: 'memberAdded'; readonly groupId: string; readonly member: ProviderMember }
  | { readonly kind: 'memberRemoved'; readonly groupId: string; readonly member: ProviderMember };

export type DeltaResult =
  | { readonly kind: 'changes'; readonly changes: readonly ProviderChange[]; readonly cursor: string }
  /** The cursor is unknown, expired or invalidated: only a full run can continue. */
  | { readonly kind: 'resync'; readonly reason: string };

/** Optional capability: a change feed (Graph delta, Okta System Log). */
export interface DeltaCapable {
  /** A cursor for "from now on"; taken before a full listing so no change is missed. */
  deltaStart(): Promise<string>;
  /** Every change since `cursor` (all pages read before returning), and the next cursor. */
  delta(cursor: string): Promise<DeltaResult>;
}

export function supportsDelta(provider: DirectoryProvider): provider is DirectoryProvider & DeltaCapable {
  const candidate = provider as Partial<DeltaCapable>;
  return typeof candidate.delta === 'function' && typeof candidate.deltaStart === 'function';
}

/** Outcome of a password check against the provider (Crowd `/authentication`). */
export type PasswordCheck =
  | { readonly kind: 'ok' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'inactive' }
  | { readonly kind: 'expired' }
  /** The provider demands a second factor, which a Crowd password check cannot give. */
  | { readonly kind: 'mfa-required' }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** Optional capability: checking a user's password at the provider (Entra ROPC, Okta authn). */
export interface PasswordCapable {
  /** `login` is the provider's login (UPN, Okta login), not the Crowd username. */
  checkPassword(login: string, password: string): Promise<PasswordCheck>;
}

export function supportsPassword(provider: DirectoryProvider): provider is DirectoryProvider & PasswordCapable {
  return typeof (provider as Partial<PasswordCapable>).checkPassword === 'function';
}
