/**
 * The contract between crowdgate and one upstream directory (ARCHITECTURE.md §3), modelled on
 * dex's connectors: a small required core plus optional capabilities detected with type guards.
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
  /** Checks credentials and permissions; names exactly what is missing. */
  testConnection(): Promise<ConnectionReport>;
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

export type ProviderMember = { readonly kind: 'user'; readonly id: string } | { readonly kind: 'group'; readonly id: string };

export interface ConnectionReport {
  readonly ok: boolean;
  /** One line per finding, e.g. "missing application permission Group.Read.All". */
  readonly messages: readonly string[];
}
