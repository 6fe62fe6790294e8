import { localGroupExternalId, type GroupRecord } from '../domain/group';
import type { UserRecord } from '../domain/user';
import type { ProviderGroup, ProviderUser } from '../providers/provider';
import type { Snapshot } from './snapshot';

/** The directory's picture after mapping: exactly what the store should hold. */
export interface DesiredState {
  readonly users: UserRecord[];
  readonly groups: GroupRecord[];
  readonly userMemberships: Array<readonly [string, string]>;
  readonly groupMemberships: Array<readonly [string, string]>;
}

export interface MappingOptions {
  /** Group names every active user joins (e.g. `jira-software-users`). */
  readonly localGroups: readonly string[];
}

/** Username projection: the login without its domain (`ada.lovelace@example.com` → `ada.lovelace`). */
export function projectUsername(user: ProviderUser): string {
  const at = user.login.lastIndexOf('@');
  return at > 0 ? user.login.slice(0, at) : user.login;
}

function toUserRecord(user: ProviderUser): UserRecord {
  const attributes: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(user.attributes)) if (value !== '') attributes[name] = [value];
  return {
    externalId: user.id,
    name: projectUsername(user),
    firstName: user.givenName,
    lastName: user.surname,
    displayName: user.displayName,
    email: user.email,
    active: user.enabled,
    attributes,
  };
}

function toGroupRecord(group: ProviderGroup): GroupRecord {
  return { externalId: group.id, name: group.name, description: group.description, active: true, local: false, attributes: {} };
}

/** Maps a provider snapshot to the desired directory, adding local groups with every active user. */
export function mapSnapshot(snapshot: Snapshot, options: MappingOptions): DesiredState {
  const users = snapshot.users.map(toUserRecord);
  const groups = snapshot.groups.map(toGroupRecord);
  const userMemberships = [...snapshot.userMemberships];
  for (const name of options.localGroups) {
    const externalId = localGroupExternalId(name);
    groups.push({ externalId, name, description: 'Local group: every active synchronised user', active: true, local: true, attributes: {} });
    for (const user of users) if (user.active) userMemberships.push([user.externalId, externalId]);
  }
  return { users, groups, userMemberships, groupMemberships: [...snapshot.groupMemberships] };
}
