import type { DirectoryProvider, ProviderGroup, ProviderUser } from '../providers/provider';

/** Everything one full listing of a provider returned: the complete upstream picture. */
export interface Snapshot {
  readonly users: ProviderUser[];
  readonly groups: ProviderGroup[];
  /** Direct user memberships `[userId, groupId]` and group-in-group links `[childId, parentId]`. */
  readonly userMemberships: Array<readonly [string, string]>;
  readonly groupMemberships: Array<readonly [string, string]>;
}

/**
 * Reads users, groups and every group's direct members. Any error aborts the whole read: the
 * caller gets no snapshot rather than a partial one (ARCHITECTURE.md §1, "never a partial picture").
 */
export async function readSnapshot(provider: DirectoryProvider): Promise<Snapshot> {
  const users: ProviderUser[] = [];
  for await (const user of provider.users()) users.push(user);
  const groups: ProviderGroup[] = [];
  for await (const group of provider.groups()) groups.push(group);
  const userMemberships: Array<readonly [string, string]> = [];
  const groupMemberships: Array<readonly [string, string]> = [];
  for (const group of groups) {
    for await (const member of provider.members(group)) {
      if (member.kind === 'user') userMemberships.push([member.id, group.id]);
      else groupMemberships.push([member.id, group.id]);
    }
  }
  return { users, groups, userMemberships, groupMemberships };
}
