import type { admin_directory_v1 } from 'googleapis';
import type { ProviderGroup, ProviderUser } from '../provider';

/**
 * Directory API resources → provider-neutral records (https://developers.google.com/admin-sdk/directory/reference/rest, googleapis Schema$User).
 *
 * Users:
 * - login and email: `primaryEmail` (Google's sign-in name and mailbox); guest: never (Workspace
 *   has no B2B guests; outside addresses are only group members, which the sync skips).
 * - enabled: false when `suspended` or `archived` (both cannot sign in). `status` tells them
 *   apart (`active`, `suspended`, `archived`) for `filters.attributes`.
 * - attributes a `username.source` or filter may use: `alias` (first editable alias), `aliases`
 *   (all, comma-separated), `orgUnitPath`, `department`, `jobTitle`, `employeeId` (external id of
 *   type organization), `customSchemas.<Schema>.<field>` (scalar fields; multi-valued fields give
 *   their values comma-separated), `status`.
 * - displayName: `name.displayName` when set, else `name.fullName`.
 */

export type GoogleUser = admin_directory_v1.Schema$User;
export type GoogleGroup = admin_directory_v1.Schema$Group;

/** The `fields` partial response of users.list: what the mapper reads (smaller pages at Google). */
export const USER_FIELDS =
  'nextPageToken,users(id,primaryEmail,name,suspended,archived,aliases,orgUnitPath,organizations,externalIds,customSchemas)';
export const GROUP_FIELDS = 'nextPageToken,groups(id,email,name,description)';
export const MEMBER_FIELDS = 'nextPageToken,members(id,type)';

export function mapUser(user: GoogleUser): ProviderUser | null {
  if (typeof user.id !== 'string' || typeof user.primaryEmail !== 'string') return null;
  const attributes: Record<string, string> = {};
  const put = (key: string, value: unknown) => {
    if (typeof value === 'string' && value !== '') attributes[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') attributes[key] = String(value);
  };
  const aliases = (user.aliases ?? []).filter((a): a is string => typeof a === 'string' && a !== '');
  put('alias', aliases[0]);
  if (aliases.length > 0) put('aliases', aliases.join(','));
  put('orgUnitPath', user.orgUnitPath);
  const organization = primary(
    user.organizations as { primary?: boolean; department?: string; title?: string }[] | undefined,
  );
  put('department', organization?.department);
  put('jobTitle', organization?.title);
  const externalIds = (user.externalIds ?? []) as { type?: string; value?: string }[];
  put('employeeId', externalIds.find((x) => x.type === 'organization')?.value);
  for (const [schema, fields] of Object.entries(user.customSchemas ?? {})) {
    for (const [field, value] of Object.entries(fields ?? {})) {
      const key = `customSchemas.${schema}.${field}`;
      if (Array.isArray(value))
        put(
          key,
          value
            .map((v) => (v !== null && typeof v === 'object' ? (v as { value?: unknown }).value : v))
            .filter((v) => typeof v === 'string' || typeof v === 'number')
            .join(','),
        );
      else put(key, value);
    }
  }
  const suspended = user.suspended === true;
  const archived = user.archived === true;
  attributes['status'] = archived ? 'archived' : suspended ? 'suspended' : 'active';
  const name = user.name ?? {};
  const givenName = name.givenName ?? '';
  const surname = name.familyName ?? '';
  const displayName = name.displayName || name.fullName || `${givenName} ${surname}`.trim();
  return {
    id: user.id,
    login: user.primaryEmail,
    email: user.primaryEmail,
    givenName,
    surname,
    displayName,
    enabled: !suspended && !archived,
    guest: false,
    attributes,
  };
}

function primary<T extends { primary?: boolean }>(list: T[] | undefined): T | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.find((x) => x.primary === true) ?? list[0];
}

export function mapGroup(group: GoogleGroup): ProviderGroup | null {
  if (typeof group.id !== 'string') return null;
  return { id: group.id, name: group.name || group.email || group.id, description: group.description ?? '' };
}

/** Is `path` (a user's orgUnitPath) one of `units` or below one of them? Case-insensitive, as the Admin console treats OU names. */
export function inOrgUnits(path: string | null | undefined, units: readonly string[]): boolean {
  if (units.length === 0) return true;
  const p = (path ?? '/').toLowerCase();
  return units.some((unit) => {
    const u = unit.toLowerCase();
    return u === '/' || p === u || p.startsWith(`${u}/`);
  });
}
