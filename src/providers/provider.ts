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

export interface AccessReport {
  readonly ok: boolean;
  /** One line per finding, e.g. "missing application permission Group.Read.All". */
  readonly messages: readonly string[];
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
