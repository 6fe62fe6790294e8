import type { admin_directory_v1 } from 'googleapis';
import { TENANT_EPOCH } from '../tenant';
import { etagOf, mix32, shareOf } from './ids';
import type { CustomerEntry, GroupRecord, SerializedUser, UserRecord } from './records';

/**
 * Tenant → Directory API resources. Output is typed with googleapis' own
 * `admin_directory_v1.Schema$User / Schema$Group / Schema$Member`, so a field the official client
 * does not know fails to compile. Deterministic choices (archived share, roles, last logins) hash
 * the tenant id, so every run of the same tenant serves the same JSON.
 */

export type GoogleUser = admin_directory_v1.Schema$User;
export type GoogleGroup = admin_directory_v1.Schema$Group;
export type GoogleMember = admin_directory_v1.Schema$Member;
export type MemberRole = 'OWNER' | 'MANAGER' | 'MEMBER';
export type MemberType = 'USER' | 'GROUP' | 'CUSTOMER';

export interface MappingContext {
  readonly domain: string;
  readonly customerId: string;
  isAdmin(tenantId: string): boolean;
}

/** Share of disabled users that are archived (Archived User licence) instead of suspended. */
export const ARCHIVED_SHARE_OF_DISABLED = 0.2;
/** Share of users that never signed in (lastLoginTime = the epoch, as Google reports it). */
const NEVER_LOGGED_IN_SHARE = 0.08;
const ENROLLED_2SV_SHARE = 0.7;
/** Every Workspace address also has a non-editable alias in the domain's test domain. */
const TEST_DOMAIN_SUFFIX = '.test-google-a.com';
/** Name of the custom schema that `projection=full` adds (on-premises account name). */
export const CUSTOM_SCHEMA = 'OnPremises';
const NEVER = '1970-01-01T00:00:00.000Z';

/** Account state: tenant `enabled: false` becomes suspended, or archived for a deterministic fifth. */
export function accountState(user: UserRecord): { suspended: boolean; archived: boolean } {
  if (user.live.enabled) return { suspended: false, archived: false };
  const archived = shareOf(user.tenantId, 'archived') < ARCHIVED_SHARE_OF_DISABLED;
  return { suspended: !archived, archived };
}

export function orgUnitPath(department: string): string {
  return department === '' ? '/' : `/${department.replace(/\//g, '-')}`;
}

function lastLoginTime(user: UserRecord): string {
  const created = user.live.createdAt.getTime();
  if (created >= TENANT_EPOCH || shareOf(user.tenantId, 'never-logged-in') < NEVER_LOGGED_IN_SHARE) return NEVER;
  const at = created + Math.floor((shareOf(user.tenantId, 'last-login') * (TENANT_EPOCH - created)) / 1000) * 1000;
  return new Date(at).toISOString();
}

/** Deterministic 70% of users are enrolled in 2-step verification. */
export function enrolledIn2Sv(user: UserRecord): boolean {
  return shareOf(user.tenantId, '2sv') < ENROLLED_2SV_SHARE;
}

function testDomainAlias(email: string): string {
  return `${email}${TEST_DOMAIN_SUFFIX}`;
}

/** The user without kind/id/etag (which lead the JSON) and without customSchemas (full projection only). */
function userBody(user: UserRecord, ctx: MappingContext): GoogleUser {
  const u = user.live;
  const fullName = `${u.givenName} ${u.surname}`;
  const nonEditable = testDomainAlias(user.email);
  const emails: admin_directory_v1.Schema$UserEmail[] = [{ address: user.email, primary: true }];
  for (const address of user.aliases) emails.push({ address });
  emails.push({ address: nonEditable });
  const name: admin_directory_v1.Schema$UserName = { givenName: u.givenName, familyName: u.surname, fullName };
  if (u.displayName !== fullName) name.displayName = u.displayName;
  const body: GoogleUser = {
    primaryEmail: user.email,
    name,
    isAdmin: ctx.isAdmin(user.tenantId),
    isDelegatedAdmin: false,
    lastLoginTime: lastLoginTime(user),
    creationTime: u.createdAt.toISOString(),
    agreedToTerms: true,
    suspended: user.suspended,
  };
  if (user.suspended) body.suspensionReason = 'ADMIN';
  body.archived = user.archived;
  body.changePasswordAtNextLogin = false;
  body.ipWhitelisted = false;
  body.emails = emails;
  if (u.employeeId !== '') {
    const externalIds: admin_directory_v1.Schema$UserExternalId[] = [{ value: u.employeeId, type: 'organization' }];
    body.externalIds = externalIds;
  }
  if (u.department !== '' || u.jobTitle !== '') {
    const organizations: admin_directory_v1.Schema$UserOrganization[] = [
      { title: u.jobTitle, primary: true, customType: '', department: u.department },
    ];
    body.organizations = organizations;
  }
  if (user.aliases.length > 0) body.aliases = [...user.aliases];
  body.nonEditableAliases = [nonEditable];
  body.customerId = ctx.customerId;
  body.orgUnitPath = orgUnitPath(u.department);
  body.isMailboxSetup = true;
  body.isEnrolledIn2Sv = enrolledIn2Sv(user);
  body.isEnforcedIn2Sv = false;
  body.includeInGlobalAddressList = true;
  if (user.deletedAt !== null) body.deletionTime = user.deletedAt.toISOString();
  return body;
}

/** `customSchemas` of the full projection: the on-premises account name when there is one. */
function customSchemas(user: UserRecord): GoogleUser['customSchemas'] {
  return user.live.samAccountName === null ? null : { [CUSTOM_SCHEMA]: { samAccountName: user.live.samAccountName } };
}

/**
 * Both projections of a user as JSON text, with one etag computed from the full content (so the
 * etag changes whenever any served field changes, whatever the projection). One stringify per
 * user: kind/id/etag are spliced in front, customSchemas behind (the resource's field order).
 */
export function serializeUser(user: UserRecord, ctx: MappingContext): SerializedUser {
  const bodyJson = JSON.stringify(userBody(user, ctx));
  const schemas = customSchemas(user);
  const schemasJson = schemas === null ? '' : `,"customSchemas":${JSON.stringify(schemas)}`;
  const etag = etagOf(`${user.googleId}\u0000${bodyJson}${schemasJson}`);
  const head: GoogleUser = { kind: 'admin#directory#user', id: user.googleId, etag };
  const basic = `${JSON.stringify(head).slice(0, -1)},${bodyJson.slice(1)}`;
  const full = schemasJson === '' ? basic : `${basic.slice(0, -1)}${schemasJson}}`;
  return { version: user.version, etag, basic, full };
}

/** `projection=custom`: basic plus only the custom schemas named in `customFieldMask`. */
export function customProjection(user: UserRecord, ctx: MappingContext, schemas: readonly string[]): string {
  const basic = JSON.parse(serializedUser(user, ctx).basic) as GoogleUser;
  const picked = Object.fromEntries(
    Object.entries(customSchemas(user) ?? {}).filter(([name]) => schemas.includes(name)),
  );
  return JSON.stringify(Object.keys(picked).length > 0 ? { ...basic, customSchemas: picked } : basic);
}

/** Cached serialization of a user; recomputed when the record's version moved. */
export function serializedUser(user: UserRecord, ctx: MappingContext): SerializedUser {
  if (user.cache === null || user.cache.version !== user.version) user.cache = serializeUser(user, ctx);
  return user.cache;
}

/** Cached group JSON; `directMembersCount` counts users, externals, child groups and a CUSTOMER member. */
export function serializedGroup(group: GroupRecord): string {
  if (group.cache !== null && group.cache.version === group.version) return group.cache.json;
  const g = group.live;
  const count = g.userIds.size + g.groupIds.size + (group.customerMember ? 1 : 0);
  const body: GoogleGroup = {
    email: group.email,
    name: g.name,
    directMembersCount: String(count),
    description: g.description,
    // Groups users create themselves (some project teams) are not adminCreated.
    adminCreated: !(g.kind === 'team' && shareOf(group.tenantId, 'user-created') < 0.3),
    nonEditableAliases: [testDomainAlias(group.email)],
  };
  const etag = etagOf(`${group.googleId}\u0000${JSON.stringify(body)}`);
  const json: GoogleGroup = { kind: 'admin#directory#group', id: group.googleId, etag, ...body };
  group.cache = { version: group.version, json: JSON.stringify(json) };
  return group.cache.json;
}

/**
 * Role of a member: owners and managers are rare people (2% / 3%, by hash of group and member);
 * child groups, the CUSTOMER member and indirect (derived) members are MEMBERs.
 */
export function memberRole(
  group: GroupRecord,
  entry: UserRecord | GroupRecord | CustomerEntry,
  direct: boolean,
): MemberRole {
  if (!direct || entry.kind !== 'user') return 'MEMBER';
  const share = mix32(group.hash, entry.hash) / 4294967296;
  return share < 0.02 ? 'OWNER' : share < 0.05 ? 'MANAGER' : 'MEMBER';
}

/** Member status: SUSPENDED / ARCHIVED for such domain users, ACTIVE otherwise. */
function memberStatus(entry: UserRecord | GroupRecord | CustomerEntry): 'ACTIVE' | 'SUSPENDED' | 'ARCHIVED' {
  if (entry.kind !== 'user') return 'ACTIVE';
  return entry.suspended ? 'SUSPENDED' : entry.archived ? 'ARCHIVED' : 'ACTIVE';
}

const ROLE_CODE: Readonly<Record<MemberRole, number>> = { OWNER: 1, MANAGER: 2, MEMBER: 3 };
const STATUS_CODE = { ACTIVE: 1, SUSPENDED: 2, ARCHIVED: 3 } as const;

function memberEtag(
  group: GroupRecord,
  entry: UserRecord | GroupRecord | CustomerEntry,
  role: MemberRole,
  status: keyof typeof STATUS_CODE,
): string {
  const emailHash = entry.kind === 'customer' ? 0 : entry.emailHash;
  const h1 = mix32(mix32(group.hash, entry.hash), emailHash ^ (ROLE_CODE[role] << 4) ^ STATUS_CODE[status]);
  return `${h1.toString(36)}${mix32(h1, group.hash).toString(36)}`;
}

/**
 * One member resource (typed with Schema$Member). External (guest) members are type USER with
 * their home address. The etag hashes group, member, address, role and status.
 */
export function mapMember(
  group: GroupRecord,
  entry: UserRecord | GroupRecord | CustomerEntry,
  direct: boolean,
): GoogleMember {
  const role = memberRole(group, entry, direct);
  const status = memberStatus(entry);
  const etag = `"${memberEtag(group, entry, role, status)}"`;
  if (entry.kind === 'customer')
    return { kind: 'admin#directory#member', etag, id: entry.customerId, role, type: 'CUSTOMER', status };
  const type: MemberType = entry.kind === 'user' ? 'USER' : 'GROUP';
  return { kind: 'admin#directory#member', etag, id: entry.googleId, email: entry.email, role, type, status };
}

/**
 * `JSON.stringify(mapMember(...))`, assembled from precomputed parts (members.list serves a
 * million of these in a full sync; the member tests assert both agree).
 */
export function memberJson(
  group: GroupRecord,
  entry: UserRecord | GroupRecord | CustomerEntry,
  direct: boolean,
): string {
  const role = memberRole(group, entry, direct);
  const status = memberStatus(entry);
  const head = `{"kind":"admin#directory#member","etag":"\\"${memberEtag(group, entry, role, status)}\\"",`;
  if (entry.kind === 'customer')
    return `${head}"id":"${entry.customerId}","role":"${role}","type":"CUSTOMER","status":"${status}"}`;
  const type: MemberType = entry.kind === 'user' ? 'USER' : 'GROUP';
  return `${head}"id":"${entry.googleId}","email":${entry.emailJson},"role":"${role}","type":"${type}","status":"${status}"}`;
}
