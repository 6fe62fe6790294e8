import type { ProviderGroup, ProviderMember, ProviderUser } from '../provider';

/**
 * Graph v1.0 entities → provider-neutral records (https://learn.microsoft.com/en-us/graph/api/resources/user,
 * https://learn.microsoft.com/en-us/graph/api/resources/group).
 *
 * Contracts:
 * - `USER_SELECT` / `GROUP_SELECT` name exactly the properties mapped here: listing and delta
 *   `$select` the same fields, so a delta round tracks every property the mirror keeps.
 * - login = userPrincipalName; email = mail, or the UPN when mail is empty; enabled =
 *   accountEnabled (anything but `true` counts as disabled); guest = userType `Guest`.
 * - attributes hold only non-empty strings.
 * - Members are users and groups; orgContacts, devices and servicePrincipals are skipped.
 */

/** Graph user property → attribute name. */
const USER_ATTRIBUTES: Readonly<Record<string, string>> = {
  department: 'department',
  jobTitle: 'jobTitle',
  employeeId: 'employeeId',
  employeeType: 'employeeType',
  companyName: 'companyName',
  officeLocation: 'officeLocation',
  mailNickname: 'mailNickname',
  onPremisesSamAccountName: 'samAccountName',
  onPremisesUserPrincipalName: 'onPremisesUserPrincipalName',
  userType: 'userType',
};

export const USER_SELECT: readonly string[] = [
  'id',
  'userPrincipalName',
  'mail',
  'givenName',
  'surname',
  'displayName',
  'accountEnabled',
  ...Object.keys(USER_ATTRIBUTES),
];

/** groupTypes and securityEnabled decide the `groupTypes: security` filter. */
export const GROUP_SELECT: readonly string[] = ['id', 'displayName', 'description', 'groupTypes', 'securityEnabled'];

export type GraphObject = Readonly<Record<string, unknown>>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function isGraphObject(value: unknown): value is GraphObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { id?: unknown }).id === 'string'
  );
}

/** Something that hands out one shared instance per id string (member-list.ts Interner). */
export interface IdPool {
  intern(id: string): string;
}

export function mapUser(u: GraphObject, ids?: IdPool): ProviderUser {
  const login = text(u['userPrincipalName']);
  const mail = text(u['mail']);
  const attributes: Record<string, string> = {};
  for (const [property, name] of Object.entries(USER_ATTRIBUTES)) {
    const value = u[property];
    if (typeof value === 'string' && value !== '') attributes[name] = value;
  }
  return {
    id: ids ? ids.intern(u['id'] as string) : (u['id'] as string),
    login,
    email: mail !== '' ? mail : login,
    givenName: text(u['givenName']),
    surname: text(u['surname']),
    displayName: text(u['displayName']),
    enabled: u['accountEnabled'] === true,
    guest: u['userType'] === 'Guest',
    attributes,
  };
}

export function mapGroup(g: GraphObject, ids?: IdPool): ProviderGroup {
  const id = g['id'] as string;
  return { id: ids ? ids.intern(id) : id, name: text(g['displayName']), description: text(g['description']) };
}

/** True when the group has a name to show (delta may send a bare id for a vanished group). */
export function hasName(g: GraphObject): boolean {
  return typeof g['displayName'] === 'string' && g['displayName'] !== '';
}

/** Security groups only: security-enabled and not a Microsoft 365 ("Unified") group. */
export function isSecurityGroup(g: GraphObject): boolean {
  const types = Array.isArray(g['groupTypes']) ? (g['groupTypes'] as unknown[]) : [];
  return g['securityEnabled'] === true && !types.includes('Unified');
}

/** Whether the group is in scope for `groupTypes`; null when the object lacks the properties to tell. */
export function groupInScope(g: GraphObject, groupTypes: 'all' | 'security'): boolean | null {
  if (groupTypes === 'all') return true;
  if (!('securityEnabled' in g)) return null;
  return isSecurityGroup(g);
}

/** A directoryObject from a members listing or members@delta; null for kinds crowdgate does not sync. */
export function mapMember(m: GraphObject): ProviderMember | null {
  switch (m['@odata.type']) {
    case '#microsoft.graph.user':
      return { kind: 'user', id: m['id'] as string };
    case '#microsoft.graph.group':
      return { kind: 'group', id: m['id'] as string };
    default:
      return null;
  }
}

/** `@removed` marker of a delta entry (user, group or members@delta entry). */
export function isRemoved(o: GraphObject): boolean {
  return typeof o['@removed'] === 'object' && o['@removed'] !== null;
}
