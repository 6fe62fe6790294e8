import type { AccessClaims } from './tokens';
import { graphErrors } from './errors';

/**
 * Graph permissions accepted per operation (application roles or delegated scopes), after the
 * "Permissions" tables of the v1.0 API reference (user-list, group-list, group-list-members,
 * user-list-memberof, user-delta, group-delta). Any one of a list suffices.
 */
export const PERMISSIONS = {
  /** user-list / user-get / user-delta: least privileged User.Read.All. */
  readUsers: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  /** group-list / group-get / group-delta: least privileged GroupMember.Read.All. */
  readGroups: [
    'GroupMember.Read.All',
    'Group.Read.All',
    'Group.ReadWrite.All',
    'GroupMember.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
  /** group-list-members / transitiveMembers / user-list-memberof. */
  readMembers: [
    'GroupMember.Read.All',
    'Group.Read.All',
    'Group.ReadWrite.All',
    'GroupMember.ReadWrite.All',
    'Directory.Read.All',
    'Directory.ReadWrite.All',
  ],
  /** Without these, contacts among members come back with only @odata.type and id. */
  readContacts: ['OrgContact.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  /** Without these, devices among members come back with only @odata.type and id. */
  readDevices: ['Device.Read.All', 'Device.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
} as const;

/** The permissions a token carries: `roles` (app) or `scp` (delegated). */
export function grantedPermissions(claims: AccessClaims): ReadonlySet<string> {
  const scopes = claims.scp ? claims.scp.split(' ') : [];
  return new Set([...(claims.roles ?? []), ...scopes]);
}

export function hasAny(granted: ReadonlySet<string>, accepted: readonly string[]): boolean {
  return accepted.some((p) => granted.has(p));
}

/** Throws Graph's 403 Authorization_RequestDenied unless one of `accepted` is granted. */
export function demand(granted: ReadonlySet<string>, accepted: readonly string[]): void {
  if (!hasAny(granted, accepted)) throw graphErrors.accessDenied();
}
