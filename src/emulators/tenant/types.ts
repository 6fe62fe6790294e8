/**
 * Shapes of the deterministic fake tenant that every emulator (Entra ID, Google Workspace, Okta)
 * serves. Re-exported by `src/emulators/tenant.ts`, which is the module to import.
 */

export interface TenantSpec {
  /** Any seed; numbers are hashed as their decimal string, so `42` and `'42'` give the same tenant. */
  seed: string | number;
  /** Number of users; non-negative integer. Tuned and benchmarked up to 100_000. */
  users: number;
  /** Number of groups; non-negative integer. Tuned and benchmarked up to 20_000. */
  groups: number;
  /**
   * Target number of direct user→group memberships. Default:
   * `min(1_000_000, round(users × min(10, groups / 4)))` — ten groups per user for large tenants,
   * fewer when there are few groups to be in. The generator hits the target exactly unless the
   * groups' candidate pools are too small to hold it (then every pool is filled).
   */
  memberships?: number;
  /** Primary (verified) domain of logins and mail; default `example.com`. */
  domain?: string;
}

/**
 * What kind of group this is; decides its name, its candidate members and where it may nest.
 * - `all-staff`: the "All Staff" group (every non-guest employee, huge).
 * - `department` / `subdepartment`: members come from users of that department only.
 * - `team`: project teams and working groups (the long tail).
 * - `distribution`: mail distribution lists (`securityEnabled` false).
 * - `app`: application access groups such as `jira-users`.
 * - `security`: resource / device / network security groups.
 * - `location`: office groups.
 * - `guests`: B2B guests only.
 */
export type TenantGroupKind =
  'all-staff' | 'department' | 'subdepartment' | 'team' | 'distribution' | 'app' | 'security' | 'location' | 'guests';

export interface TenantUser {
  /** Immutable id: deterministic, GUID-shaped (8-4-4-4-12 lower hex, v4 layout), unique in the tenant. */
  id: string;
  givenName: string;
  surname: string;
  /**
   * Usually "Given Surname", ~4% "Surname, Given"; ~20% of guests show their home mail address.
   * Not unique: distinct people share names.
   */
  displayName: string;
  /**
   * Primary login (UPN / primaryEmail / Okta login), unique case-insensitively, ASCII-folded from
   * the name: "given.surname@<domain>" or (~15%) "gsurname@…"; on collision a middle initial
   * ("given.k.surname") or a number ("given.surname7"). Mostly lower case; ~1% keep their capitals
   * ("Ada.Lovelace@…"). Guests: `<local>_<home.domain>#EXT#@<domain>`.
   */
  login: string;
  /**
   * Mail address. Members: `<mailNickname>@<domain>`; guests: their home address. NOT unique
   * case-insensitively: see `mailNickname`.
   */
  mail: string;
  /**
   * Local part of the mail address, normally the login's local part. A few planted pairs of users
   * share a name and have nicknames differing only in case ("jsmith" / "JSmith"), so mail and
   * nickname projections collide case-insensitively while logins stay unique.
   */
  mailNickname: string;
  /** On-premises (AD) account name for ~60% of users; ≤ 20 chars, unique case-insensitively; guests: null. */
  samAccountName: string | null;
  /** One of the tenant's departments; '' for guests. */
  department: string;
  /** '' for guests. */
  jobTitle: string;
  /** Unique digit string; '' for guests. */
  employeeId: string;
  /** ~5% false (disabled / suspended / deprovisioned). */
  enabled: boolean;
  /** ~2% true (B2B guests). */
  guest: boolean;
  /** Within the 5 years before {@link TENANT_EPOCH}, skewed to recent hires; whole seconds. */
  createdAt: Date;
}

export interface TenantGroup {
  /** GUID-shaped, deterministic, distinct from every user id. */
  id: string;
  /** Display name, unique case-insensitively; may contain non-ASCII ("Ärzte-Team"). */
  name: string;
  /** May be '' (some groups have no description). */
  description: string;
  /** ASCII slug of the name, unique case-insensitively. */
  mailNickname: string;
  /** Added field: what kind of group this is. */
  kind: TenantGroupKind;
  securityEnabled: boolean;
  /** Added field: true for distribution lists, Microsoft 365 groups and some security groups. */
  mailEnabled: boolean;
  /** Microsoft 365 ("Unified") group; ~20% of groups. */
  unified: boolean;
  createdAt: Date;
  /** Direct user members, no duplicates, ascending by user position in `Tenant.users`. */
  memberUserIds: string[];
  /** Direct child groups, no duplicates; the nesting graph is acyclic with chains of at most 4 groups. */
  memberGroupIds: string[];
}

export interface Tenant {
  /** The spec with defaults applied; `memberships` is the resolved target. */
  spec: Required<TenantSpec>;
  users: TenantUser[];
  groups: TenantGroup[];
  /** Total direct user memberships (sum of `memberUserIds` lengths). */
  membershipCount: number;
  /** Total group→group links (sum of `memberGroupIds` lengths). */
  nestedGroupLinkCount: number;
}

/** Fixed "now" of every tenant: timestamps never depend on the clock. 2025-01-01T00:00:00Z. */
export const TENANT_EPOCH = Date.UTC(2025, 0, 1);
