import type { LiveGroup, LiveUser } from '../core/tenant-state';
import type { Device, OrgContact } from './extras';

/**
 * Tenant objects → Graph v1.0 entities. Every property name emitted here exists on the entity type
 * (or its base `directoryObject`/`entity`) in the v1.0 CSDL (`shared/specs/graph-v1-metadata.xml`);
 * tests check that. Values the tenant does not model are the nulls/empties Graph returns for
 * unset properties.
 */
export type EntityType = 'user' | 'group' | 'orgContact' | 'device';

export interface EntitySchema<T> {
  readonly type: EntityType;
  /** `@odata.type` value, e.g. `#microsoft.graph.user`. */
  readonly odataType: string;
  /** Canonical property name → value getter. */
  readonly getters: ReadonlyMap<string, (o: T) => unknown>;
  /** Lower-cased property name → canonical name ($select and $filter are case-insensitive). */
  readonly lookup: ReadonlyMap<string, string>;
  /** Properties returned without $select. */
  readonly defaults: readonly string[];
}

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const orNull = (s: string): string | null => (s === '' ? null : s);
const none = (): null => null;
const emptyList = (): never[] => [];

function schema<T>(
  type: EntityType,
  getters: Record<string, (o: T) => unknown>,
  defaults?: readonly string[],
): EntitySchema<T> {
  const map = new Map(Object.entries(getters));
  return {
    type,
    odataType: `#microsoft.graph.${type}`,
    getters: map,
    lookup: new Map([...map.keys()].map((k) => [k.toLowerCase(), k])),
    defaults: defaults ?? [...map.keys()],
  };
}

/** GUID text → its 16 bytes in Windows (mixed-endian) order, as AD and Entra lay them out. */
function guidBytes(id: string): Buffer {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) return Buffer.alloc(16);
  const b = Buffer.from(hex, 'hex');
  return Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8),
  ]);
}

/** Little-endian uint32 of 8 hex digits read as bytes in order. */
const le32 = (h: string): number => parseInt(h.slice(6, 8) + h.slice(4, 6) + h.slice(2, 4) + h.slice(0, 2), 16);

/**
 * Cloud SID Entra derives from an object id: S-1-12-1 followed by the id's 16 bytes (Windows GUID
 * layout) read as four little-endian uint32 — computed on the hex text directly (hot path).
 */
function cloudSid(id: string): string {
  const h = id.replace(/-/g, '');
  if (h.length !== 32) return 'S-1-12-1-0-0-0-0';
  const a = parseInt(h.slice(0, 8), 16);
  const b = ((parseInt(h.slice(12, 16), 16) << 16) | parseInt(h.slice(8, 12), 16)) >>> 0;
  return `S-1-12-1-${a}-${b}-${le32(h.slice(16, 24))}-${le32(h.slice(24, 32))}`;
}

/** A stable on-premises AD SID for synced users (domain part fixed, RID from the id). */
function onPremisesSid(id: string): string {
  const h = id.replace(/-/g, '');
  return `S-1-5-21-1004336348-1177238915-682003330-${1000 + ((h.length === 32 ? le32(h.slice(24, 32)) : 0) % 900_000)}`;
}

const domainOf = (login: string): string => login.slice(login.lastIndexOf('@') + 1);
const synced = (u: LiveUser): boolean => u.samAccountName !== null;

/** learn.microsoft.com/graph/api/user-list: the default property set of a user without $select. */
export const USER_DEFAULT_PROPERTIES: readonly string[] = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

export const userSchema: EntitySchema<LiveUser> = schema<LiveUser>(
  'user',
  {
    id: (u) => u.id,
    deletedDateTime: none,
    accountEnabled: (u) => u.enabled,
    ageGroup: none,
    businessPhones: emptyList,
    city: none,
    companyName: none,
    consentProvidedForMinor: none,
    country: none,
    createdDateTime: (u) => iso(u.createdAt),
    creationType: (u) => (u.guest ? 'Invitation' : null),
    department: (u) => orNull(u.department),
    displayName: (u) => u.displayName,
    employeeHireDate: none,
    employeeId: (u) => orNull(u.employeeId),
    employeeLeaveDateTime: none,
    employeeType: none,
    externalUserState: (u) => (u.guest ? 'Accepted' : null),
    externalUserStateChangeDateTime: (u) => (u.guest ? iso(u.createdAt) : null),
    faxNumber: none,
    givenName: (u) => u.givenName,
    identities: (u) => [{ signInType: 'userPrincipalName', issuer: domainOf(u.login), issuerAssignedId: u.login }],
    imAddresses: emptyList,
    jobTitle: (u) => orNull(u.jobTitle),
    lastPasswordChangeDateTime: (u) => iso(u.createdAt),
    legalAgeGroupClassification: none,
    mail: (u) => orNull(u.mail),
    mailNickname: (u) => u.mailNickname,
    mobilePhone: none,
    officeLocation: none,
    onPremisesDistinguishedName: (u) =>
      synced(u)
        ? `CN=${u.displayName.replace(/([,=+<>#;"\\])/g, '\\$1')},OU=Users,DC=corp,DC=${domainOf(u.login).split('.').join(',DC=')}`
        : null,
    onPremisesDomainName: (u) => (synced(u) ? `corp.${domainOf(u.login)}` : null),
    onPremisesImmutableId: (u) => (synced(u) ? guidBytes(u.id).toString('base64') : null),
    onPremisesLastSyncDateTime: (u) => (synced(u) ? iso(u.updatedAt) : null),
    onPremisesSamAccountName: (u) => u.samAccountName,
    onPremisesSecurityIdentifier: (u) => (synced(u) ? onPremisesSid(u.id) : null),
    onPremisesSyncEnabled: (u) => (synced(u) ? true : null),
    onPremisesUserPrincipalName: (u) => (synced(u) ? u.login : null),
    otherMails: emptyList,
    passwordPolicies: none,
    postalCode: none,
    preferredDataLocation: none,
    preferredLanguage: none,
    proxyAddresses: (u) => (u.guest || u.mail === '' ? [] : [`SMTP:${u.mail}`]),
    securityIdentifier: (u) => cloudSid(u.id),
    showInAddressList: none,
    signInSessionsValidFromDateTime: (u) => iso(u.createdAt),
    state: none,
    streetAddress: none,
    surname: (u) => u.surname,
    usageLocation: none,
    userPrincipalName: (u) => u.login,
    userType: (u) => (u.guest ? 'Guest' : 'Member'),
  },
  USER_DEFAULT_PROPERTIES,
);

/** Groups need the tenant's mail domain for `mail` / `proxyAddresses`. */
export function groupSchema(domain: string): EntitySchema<LiveGroup> {
  const mail = (g: LiveGroup): string | null => (g.mailEnabled ? `${g.mailNickname}@${domain}` : null);
  return schema<LiveGroup>('group', {
    id: (g) => g.id,
    deletedDateTime: none,
    classification: none,
    createdDateTime: (g) => iso(g.createdAt),
    description: (g) => orNull(g.description),
    displayName: (g) => g.name,
    expirationDateTime: none,
    groupTypes: (g) => (g.unified ? ['Unified'] : []),
    isAssignableToRole: none,
    mail,
    mailEnabled: (g) => g.mailEnabled,
    mailNickname: (g) => g.mailNickname,
    membershipRule: none,
    membershipRuleProcessingState: none,
    onPremisesDomainName: none,
    onPremisesLastSyncDateTime: none,
    onPremisesNetBiosName: none,
    onPremisesSamAccountName: none,
    onPremisesSecurityIdentifier: none,
    onPremisesSyncEnabled: none,
    preferredDataLocation: none,
    preferredLanguage: none,
    proxyAddresses: (g) => {
      const m = mail(g);
      return m === null ? [] : [`SMTP:${m}`];
    },
    renewedDateTime: (g) => iso(g.createdAt),
    resourceBehaviorOptions: emptyList,
    resourceProvisioningOptions: emptyList,
    securityEnabled: (g) => g.securityEnabled,
    securityIdentifier: (g) => cloudSid(g.id),
    theme: none,
    uniqueName: none,
    visibility: (g) => (g.unified ? 'Public' : null),
    onPremisesProvisioningErrors: emptyList,
    serviceProvisioningErrors: emptyList,
  });
}

export const orgContactSchema: EntitySchema<OrgContact> = schema<OrgContact>('orgContact', {
  id: (c) => c.id,
  deletedDateTime: none,
  addresses: emptyList,
  companyName: (c) => c.companyName,
  department: none,
  displayName: (c) => c.displayName,
  givenName: (c) => c.givenName,
  jobTitle: (c) => c.jobTitle,
  mail: (c) => c.mail,
  mailNickname: (c) => c.mailNickname,
  onPremisesLastSyncDateTime: none,
  onPremisesProvisioningErrors: emptyList,
  onPremisesSyncEnabled: none,
  phones: emptyList,
  proxyAddresses: (c) => [`SMTP:${c.mail}`],
  serviceProvisioningErrors: emptyList,
  surname: (c) => c.surname,
});

export const deviceSchema: EntitySchema<Device> = schema<Device>('device', {
  id: (d) => d.id,
  deletedDateTime: none,
  accountEnabled: (d) => d.accountEnabled,
  alternativeSecurityIds: emptyList,
  approximateLastSignInDateTime: (d) => iso(d.registrationDateTime),
  complianceExpirationDateTime: none,
  deviceCategory: none,
  deviceId: (d) => d.deviceId,
  deviceMetadata: none,
  deviceOwnership: () => 'Company',
  deviceVersion: () => 2,
  displayName: (d) => d.displayName,
  enrollmentProfileName: none,
  isCompliant: (d) => d.isCompliant,
  isManaged: (d) => d.isManaged,
  manufacturer: (d) => d.manufacturer,
  mdmAppId: none,
  model: (d) => d.model,
  onPremisesLastSyncDateTime: none,
  onPremisesSyncEnabled: none,
  operatingSystem: (d) => d.operatingSystem,
  operatingSystemVersion: (d) => d.operatingSystemVersion,
  physicalIds: emptyList,
  profileType: () => 'RegisteredDevice',
  registrationDateTime: (d) => iso(d.registrationDateTime),
  systemLabels: emptyList,
  trustType: () => 'AzureAd',
});

/**
 * Projects `o` onto `select` (canonical names; unknown ones skipped, so a member $select may name
 * properties of other member types). `typed` adds `@odata.type` first, as member listings do.
 */
export function project<T>(
  s: EntitySchema<T>,
  o: T,
  select: readonly string[] | null,
  typed: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = typed ? { '@odata.type': s.odataType } : {};
  for (const name of select ?? s.defaults) {
    const get = s.getters.get(name);
    if (get) out[name] = get(o);
  }
  return out;
}

/** Tenant fields of a user → the Graph properties whose values they feed (delta change tracking). */
export const USER_FIELD_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  givenName: ['givenName'],
  surname: ['surname'],
  displayName: ['displayName', 'onPremisesDistinguishedName'],
  login: [
    'userPrincipalName',
    'identities',
    'onPremisesUserPrincipalName',
    'onPremisesDistinguishedName',
    'onPremisesDomainName',
  ],
  mail: ['mail', 'proxyAddresses'],
  mailNickname: ['mailNickname'],
  samAccountName: [
    'onPremisesSamAccountName',
    'onPremisesSyncEnabled',
    'onPremisesImmutableId',
    'onPremisesDomainName',
    'onPremisesUserPrincipalName',
    'onPremisesSecurityIdentifier',
    'onPremisesDistinguishedName',
    'onPremisesLastSyncDateTime',
  ],
  department: ['department'],
  jobTitle: ['jobTitle'],
  employeeId: ['employeeId'],
  enabled: ['accountEnabled'],
  guest: ['userType', 'externalUserState', 'creationType', 'proxyAddresses', 'externalUserStateChangeDateTime'],
};

/** Tenant fields of a group → Graph properties. */
export const GROUP_FIELD_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  name: ['displayName'],
  description: ['description'],
  mailNickname: ['mailNickname', 'mail', 'proxyAddresses'],
  securityEnabled: ['securityEnabled'],
  mailEnabled: ['mailEnabled', 'mail', 'proxyAddresses'],
  unified: ['groupTypes', 'visibility'],
};
