/**
 * How the vendor-neutral tenant looks in Okta: user statuses, timestamps, profiles, group types,
 * and the JSON shapes of `User` and `Group` (spec `components/schemas/User`, `Group`).
 *
 * Contracts:
 *  - Deterministic: every value derives from the tenant object (one hash per object), never
 *    from the clock, except for changes made while the emulator runs.
 *  - `enabled ⇔ status ∈ {ACTIVE, PASSWORD_EXPIRED, RECOVERY}` (see {@link isEnabledStatus});
 *    about 1% of enabled users are PASSWORD_EXPIRED; disabled users are spread 4:3:1:1:1 over
 *    SUSPENDED, DEPROVISIONED, LOCKED_OUT, STAGED and PROVISIONED.
 *  - Guests keep the tenant login (`…#EXT#@domain`); `profile.email` is their home address and
 *    `profile.userType` is "Guest" (members: "Employee").
 *  - Users with an on-premises account (`samAccountName`) are AD-mastered: credentials provider
 *    ACTIVE_DIRECTORY; others have an Okta password (`password: {}`) once activated.
 *  - round(4%) of groups (never "All Staff" or the guests group) are APP_GROUPs imported from
 *    Active Directory; the rest are OKTA_GROUPs; the BUILT_IN "Everyone" group holds every user.
 *  - Empty profile values are omitted (department, title, employeeNumber of guests; empty group
 *    descriptions) rather than sent as null where the spec does not allow null.
 */
import { TENANT_EPOCH, type TenantUser } from '../tenant';
import type { LiveGroup } from '../core/tenant-state';
import { hashWords } from './ids';
import { iso, isoOrNull } from './http';
import type { SortedList } from './sorted-list';

export type UserStatus =
  'ACTIVE' | 'DEPROVISIONED' | 'LOCKED_OUT' | 'PASSWORD_EXPIRED' | 'PROVISIONED' | 'RECOVERY' | 'STAGED' | 'SUSPENDED';

export const USER_STATUSES: readonly UserStatus[] = [
  'ACTIVE',
  'DEPROVISIONED',
  'LOCKED_OUT',
  'PASSWORD_EXPIRED',
  'PROVISIONED',
  'RECOVERY',
  'STAGED',
  'SUSPENDED',
];

export type GroupType = 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';
export const GROUP_TYPES: readonly GroupType[] = ['APP_GROUP', 'BUILT_IN', 'OKTA_GROUP'];

/** Statuses in which the account can sign in (the connector's "active" flag). */
export function isEnabledStatus(status: UserStatus): boolean {
  return status === 'ACTIVE' || status === 'PASSWORD_EXPIRED' || status === 'RECOVERY';
}

export interface OktaUserProfile {
  login: string;
  email: string;
  firstName: string;
  lastName: string;
  displayName: string;
  secondEmail: null;
  mobilePhone: null;
  department?: string;
  title?: string;
  employeeNumber?: string;
  userType: 'Employee' | 'Guest';
}

export interface UserRecord {
  readonly id: string;
  readonly tenantId: string;
  status: UserStatus;
  /** Epoch milliseconds; null where Okta sends null. */
  readonly created: number;
  activated: number | null;
  statusChanged: number | null;
  lastLogin: number | null;
  passwordChanged: number | null;
  lastUpdated: number;
  profile: OktaUserProfile;
  adMastered: boolean;
  /** Cached UTF-8 collection form (self link only); null after any change. */
  json: Buffer | null;
}

export interface GroupProfile {
  name: string;
  description?: string;
  /** APP_GROUP (Active Directory) only. */
  samAccountName?: string;
  dn?: string;
  windowsDomainQualifiedName?: string;
  externalId?: string;
  groupType?: string;
  groupScope?: string;
}

export interface GroupRecord {
  readonly id: string;
  /** null for the BUILT_IN Everyone group, which is not a tenant group. */
  readonly tenantId: string | null;
  readonly type: GroupType;
  readonly created: number;
  lastUpdated: number;
  lastMembershipUpdated: number;
  profile: GroupProfile;
  /** Member users ordered by id (see directory.ts); null for Everyone, which uses the user index. */
  members: SortedList<UserRecord> | null;
  /** Cached UTF-8 collection form; null after any change. */
  json: Buffer | null;
}

/** Org-wide values the JSON shapes refer to. */
export interface OrgContext {
  /** No trailing slash. */
  readonly orgUrl: string;
  /** Id of the default user type (`oty…`). */
  readonly userTypeId: string;
  /** Id of the Active Directory app that APP_GROUPs come from (`0oa…`). */
  readonly adAppId: string;
  /** DNS domain of the tenant (AD provider name, DN components). */
  readonly domain: string;
}

const DISABLED_SPREAD: readonly UserStatus[] = [
  'SUSPENDED',
  'SUSPENDED',
  'SUSPENDED',
  'SUSPENDED',
  'DEPROVISIONED',
  'DEPROVISIONED',
  'DEPROVISIONED',
  'LOCKED_OUT',
  'STAGED',
  'PROVISIONED',
];
const HOUR_S = 3600;
const DAY_S = 86_400;

/** A whole second in [from, to] at fraction word/2^32 (to ≥ from assumed; clamps otherwise). */
function between(from: number, to: number, word: number): number {
  if (to <= from) return from;
  return from + Math.floor(((to - from) / 1000) * (word / 4294967296)) * 1000;
}

export function userProfile(user: TenantUser): OktaUserProfile {
  const profile: OktaUserProfile = {
    login: user.login,
    email: user.mail,
    firstName: user.givenName,
    lastName: user.surname,
    displayName: user.displayName,
    secondEmail: null,
    mobilePhone: null,
    userType: user.guest ? 'Guest' : 'Employee',
  };
  if (user.department !== '') profile.department = user.department;
  if (user.jobTitle !== '') profile.title = user.jobTitle;
  if (user.employeeId !== '') profile.employeeNumber = user.employeeId;
  return profile;
}

/** The Okta view of a generated tenant user (status and history derived from its id). */
export function initialUserRecord(id: string, user: TenantUser, seed: string): UserRecord {
  const w = hashWords(user.id, `okta-user:${seed}`);
  const status: UserStatus = user.enabled
    ? (w[0] as number) % 100 === 0
      ? 'PASSWORD_EXPIRED'
      : 'ACTIVE'
    : (DISABLED_SPREAD[(w[0] as number) % DISABLED_SPREAD.length] as UserStatus);
  const created = user.createdAt.getTime();
  const neverActivated = status === 'STAGED' || status === 'PROVISIONED';
  const activated = neverActivated ? null : Math.min(TENANT_EPOCH, created + ((w[1] as number) % HOUR_S) * 1000);
  const lastLogin =
    activated === null || (w[2] as number) % 20 === 0 ? null : between(activated, TENANT_EPOCH, w[3] as number);
  let statusChanged: number | null;
  if (status === 'ACTIVE') statusChanged = activated;
  else if (status === 'STAGED') statusChanged = null;
  else if (status === 'PROVISIONED')
    statusChanged = Math.min(TENANT_EPOCH, created + ((w[1] as number) % DAY_S) * 1000);
  else statusChanged = between(lastLogin ?? activated ?? created, TENANT_EPOCH, w[4] as number);
  const passwordChanged = activated === null ? null : between(activated, lastLogin ?? activated, w[5] as number);
  return {
    id,
    tenantId: user.id,
    status,
    created,
    activated,
    statusChanged,
    lastLogin,
    passwordChanged,
    lastUpdated: Math.max(created, activated ?? 0, statusChanged ?? 0, passwordChanged ?? 0),
    profile: userProfile(user),
    adMastered: user.samAccountName !== null,
    json: null,
  };
}

/** A user created while the emulator runs: ACTIVE when enabled (created with activation), else STAGED. */
export function createdUserRecord(id: string, user: TenantUser, now: number): UserRecord {
  const active = user.enabled;
  return {
    id,
    tenantId: user.id,
    status: active ? 'ACTIVE' : 'STAGED',
    created: now,
    activated: active ? now : null,
    statusChanged: active ? now : null,
    lastLogin: null,
    passwordChanged: active ? now : null,
    lastUpdated: now,
    profile: userProfile(user),
    adMastered: user.samAccountName !== null,
    json: null,
  };
}

/**
 * Status after an admin disables an enabled user: SUSPENDED (user.lifecycle.suspend) or
 * DEPROVISIONED (user.lifecycle.deactivate), chosen deterministically per user.
 */
export function disabledStatus(record: UserRecord, seed: string): 'SUSPENDED' | 'DEPROVISIONED' {
  return (hashWords(record.tenantId, `okta-disable:${seed}`)[0] as number) % 2 === 0 ? 'SUSPENDED' : 'DEPROVISIONED';
}

/** The System Log event of moving a user from `from` to ACTIVE. */
export function enableEventType(from: UserStatus): string {
  switch (from) {
    case 'SUSPENDED':
      return 'user.lifecycle.unsuspend';
    case 'LOCKED_OUT':
      return 'user.account.unlock';
    default:
      return 'user.lifecycle.activate';
  }
}

/** Share of tenant groups served as APP_GROUPs (imported from Active Directory). */
const APP_GROUP_SHARE = 0.04;

/**
 * Tenant ids of the groups served as APP_GROUPs: round(4%) of the eligible groups (never "All
 * Staff" or the guests group), at least one when there are 10 or more, chosen by hash.
 */
export function appGroupIds(groups: Iterable<Pick<LiveGroup, 'id' | 'kind'>>, seed: string): Set<string> {
  const eligible = [...groups]
    .filter((g) => g.kind !== 'all-staff' && g.kind !== 'guests')
    .map((g) => ({ id: g.id, rank: hashWords(g.id, `okta-group:${seed}`)[0] as number }));
  const count = eligible.length < 10 ? 0 : Math.max(1, Math.round(eligible.length * APP_GROUP_SHARE));
  return new Set(
    eligible
      .sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : 1))
      .slice(0, count)
      .map((g) => g.id),
  );
}

export function groupProfile(
  group: Pick<LiveGroup, 'id' | 'name' | 'description' | 'mailNickname'>,
  type: GroupType,
  domain: string,
): GroupProfile {
  const profile: GroupProfile = { name: group.name };
  if (group.description !== '') profile.description = group.description;
  if (type === 'APP_GROUP') {
    const netbios = (domain.split('.')[0] ?? 'CORP').toUpperCase().slice(0, 15);
    profile.groupType = 'Security';
    profile.groupScope = 'Global';
    profile.samAccountName = group.mailNickname;
    profile.dn = `CN=${group.name},OU=Groups,${domain
      .split('.')
      .map((p) => `DC=${p}`)
      .join(',')}`;
    profile.windowsDomainQualifiedName = `${netbios}\\${group.mailNickname}`;
    profile.externalId = Buffer.from(group.id.replace(/-/g, ''), 'hex').toString('base64');
  }
  return profile;
}

/** The Okta view of a generated tenant group (timestamps derived from its id). */
export function initialGroupRecord(
  id: string,
  group: LiveGroup,
  type: GroupType,
  seed: string,
  domain: string,
): GroupRecord {
  const w = hashWords(group.id, `okta-group-times:${seed}`);
  const created = group.createdAt.getTime();
  const lastUpdated = Math.min(TENANT_EPOCH, created + ((w[0] as number) % (30 * DAY_S)) * 1000);
  const lastMembershipUpdated = Math.min(TENANT_EPOCH, lastUpdated + ((w[1] as number) % (60 * DAY_S)) * 1000);
  return {
    id,
    tenantId: group.id,
    type,
    created,
    lastUpdated,
    lastMembershipUpdated,
    profile: groupProfile(group, type, domain),
    members: null,
    json: null,
  };
}

export function everyoneGroupRecord(id: string, created: number, lastMembershipUpdated: number): GroupRecord {
  return {
    id,
    tenantId: null,
    type: 'BUILT_IN',
    created,
    lastUpdated: created,
    lastMembershipUpdated,
    profile: { name: 'Everyone', description: 'All users in your organization' },
    members: null,
    json: null,
  };
}

type Href = { href: string; hints?: { allow: string[] } };

function post(href: string): Href {
  return { href, hints: { allow: ['POST'] } };
}

/** Lifecycle links Okta offers for a user in this status (single-user responses only). */
function userLifecycleLinks(record: UserRecord, base: string): Record<string, Href> {
  const l = `${base}/lifecycle`;
  switch (record.status) {
    case 'STAGED':
      return { activate: post(`${l}/activate`), deactivate: post(`${l}/deactivate`) };
    case 'PROVISIONED':
      return { reactivate: post(`${l}/reactivate`), deactivate: post(`${l}/deactivate`) };
    case 'DEPROVISIONED':
      return { activate: post(`${l}/activate`) };
    case 'SUSPENDED':
      return { unsuspend: post(`${l}/unsuspend`), deactivate: post(`${l}/deactivate`) };
    case 'LOCKED_OUT':
      return {
        unlock: post(`${l}/unlock`),
        deactivate: post(`${l}/deactivate`),
        resetPassword: post(`${l}/reset_password`),
      };
    default: {
      const links: Record<string, Href> = {
        suspend: post(`${l}/suspend`),
        deactivate: post(`${l}/deactivate`),
        resetFactors: post(`${l}/reset_factors`),
        expirePassword: post(`${l}/expire_password`),
      };
      if (!record.adMastered) {
        links.resetPassword = post(`${l}/reset_password`);
        links.forgotPassword = post(`${base}/credentials/forgot_password`);
        links.changePassword = post(`${base}/credentials/change_password`);
        links.changeRecoveryQuestion = post(`${base}/credentials/change_recovery_question`);
      }
      return links;
    }
  }
}

/**
 * The `User` JSON. Collections carry only the `self` link; single-user responses (`full`) also
 * the lifecycle, credential, schema and type links, as Okta documents for `_links`.
 */
export function userJson(
  record: UserRecord,
  org: OrgContext,
  full: boolean,
  omitCredentials = false,
): Record<string, unknown> {
  const self = `${org.orgUrl}/api/v1/users/${record.id}`;
  const json: Record<string, unknown> = {
    id: record.id,
    status: record.status,
    created: iso(record.created),
    activated: isoOrNull(record.activated),
    statusChanged: isoOrNull(record.statusChanged),
    lastLogin: isoOrNull(record.lastLogin),
    lastUpdated: iso(record.lastUpdated),
    passwordChanged: isoOrNull(record.passwordChanged),
    type: { id: org.userTypeId },
    profile: record.profile,
  };
  if (!omitCredentials) {
    json.credentials = record.adMastered
      ? { provider: { type: 'ACTIVE_DIRECTORY', name: org.domain } }
      : record.activated === null
        ? { provider: { type: 'OKTA', name: 'OKTA' } }
        : { password: {}, provider: { type: 'OKTA', name: 'OKTA' } };
  }
  json._links = full
    ? {
        ...userLifecycleLinks(record, self),
        schema: { href: `${org.orgUrl}/api/v1/meta/schemas/user/osc${org.userTypeId.slice(3)}` },
        type: { href: `${org.orgUrl}/api/v1/meta/types/user/${org.userTypeId}` },
        self: { href: self },
      }
    : { self: { href: self } };
  return json;
}

/**
 * Cached collection form of a user, encoded once: pages are concatenations of these buffers, so
 * serving a page costs a memory copy, not a JSON serialisation.
 */
export function userCollectionJson(record: UserRecord, org: OrgContext): Buffer {
  if (record.json === null) record.json = Buffer.from(JSON.stringify(userJson(record, org, false)));
  return record.json;
}

/** The `Group` JSON; `usersCount` set → `_embedded.stats` (expand=stats). */
export function groupJson(
  record: GroupRecord,
  org: OrgContext,
  expand: { usersCount?: number; app?: boolean } = {},
): Record<string, unknown> {
  const self = `${org.orgUrl}/api/v1/groups/${record.id}`;
  const logo = record.type === 'APP_GROUP' ? 'active_directory' : 'okta';
  const links: Record<string, unknown> = {
    logo: [
      { name: 'medium', href: `${org.orgUrl}/img/logos/groups/${logo}-medium.png`, type: 'image/png' },
      { name: 'large', href: `${org.orgUrl}/img/logos/groups/${logo}-large.png`, type: 'image/png' },
    ],
  };
  if (record.type === 'APP_GROUP') links.source = { href: `${org.orgUrl}/api/v1/apps/${org.adAppId}` };
  links.users = { href: `${self}/users` };
  links.apps = { href: `${self}/apps` };
  links.self = { href: self };
  const json: Record<string, unknown> = {
    id: record.id,
    created: iso(record.created),
    lastUpdated: iso(record.lastUpdated),
    lastMembershipUpdated: iso(record.lastMembershipUpdated),
    objectClass: [record.type === 'APP_GROUP' ? 'okta:windows_security_principal' : 'okta:user_group'],
    type: record.type,
    profile: record.profile,
    _links: links,
  };
  const embedded: Record<string, unknown> = {};
  if (expand.usersCount !== undefined) {
    embedded.stats = {
      usersCount: expand.usersCount,
      appsCount: 0,
      groupPushMappingsCount: 0,
      hasAdminPrivilege: false,
      _links: { self: { href: `${self}/stats` } },
    };
  }
  if (expand.app === true && record.type === 'APP_GROUP') {
    embedded.app = { id: org.adAppId, name: 'active_directory', label: org.domain, signOnMode: 'BOOKMARK' };
  }
  if (Object.keys(embedded).length > 0) json._embedded = embedded;
  return json;
}

/** Cached plain collection form of a group (see {@link userCollectionJson}). */
export function groupCollectionJson(record: GroupRecord, org: OrgContext): Buffer {
  if (record.json === null) record.json = Buffer.from(JSON.stringify(groupJson(record, org)));
  return record.json;
}
