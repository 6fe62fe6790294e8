import type { ProviderGroup, ProviderUser } from '../provider';
import type { OktaGroupType, OktaUserStatus } from './config';

/**
 * Okta `User` and `Group` objects (spec components/schemas/User, Group) → provider-neutral records.
 *
 * Contracts:
 * - login = profile.login; email = profile.email ('' when absent); displayName = profile.displayName,
 *   else "firstName lastName", else the login.
 * - enabled ⇔ status ∈ {ACTIVE, PASSWORD_EXPIRED, RECOVERY}: the account can sign in (a password
 *   reset or change pending does not lock it out). SUSPENDED, DEPROVISIONED, LOCKED_OUT, STAGED and
 *   PROVISIONED users are inactive users, not missing ones.
 * - guest ⇔ profile.userType is "Guest" (case-insensitive): Okta has no guest flag of its own.
 * - attributes: every other non-empty string (or number/boolean, as text) of the profile, custom
 *   attributes included — so `username.source` and attribute filters may name any of them — and
 *   `status`.
 * - Groups: name = profile.name; description = profile.description or ''.
 */
export interface OktaUserJson {
  readonly id: string;
  readonly status?: string;
  readonly profile?: Readonly<Record<string, unknown>>;
}

export interface OktaGroupJson {
  readonly id: string;
  readonly type?: string;
  readonly profile?: Readonly<Record<string, unknown>>;
}

const ENABLED = new Set(['ACTIVE', 'PASSWORD_EXPIRED', 'RECOVERY']);
const CORE = new Set(['login', 'email', 'firstName', 'lastName', 'displayName']);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function isUserJson(value: unknown): value is OktaUserJson {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}

export function mapUser(u: OktaUserJson): ProviderUser {
  const profile = u.profile ?? {};
  const login = text(profile['login']);
  const givenName = text(profile['firstName']);
  const surname = text(profile['lastName']);
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(profile)) {
    if (CORE.has(key)) continue;
    if (typeof value === 'string' ? value !== '' : typeof value === 'number' || typeof value === 'boolean')
      attributes[key] = String(value);
  }
  const status = u.status ?? '';
  if (status !== '') attributes['status'] = status;
  return {
    id: u.id,
    login,
    email: text(profile['email']),
    givenName,
    surname,
    displayName: text(profile['displayName']) || `${givenName} ${surname}`.trim() || login,
    enabled: ENABLED.has(status),
    guest: text(profile['userType']).toLowerCase() === 'guest',
    attributes,
  };
}

export function mapGroup(g: OktaGroupJson): ProviderGroup {
  const profile = g.profile ?? {};
  return { id: g.id, name: text(profile['name']), description: text(profile['description']) };
}

/** Whether a listed user is synced under `userStatuses`. */
export function statusKept(u: OktaUserJson, statuses: ReadonlySet<OktaUserStatus>): boolean {
  return statuses.has((u.status ?? '') as OktaUserStatus);
}

export function typeKept(g: OktaGroupJson, types: ReadonlySet<OktaGroupType>): boolean {
  return types.has((g.type ?? '') as OktaGroupType);
}
