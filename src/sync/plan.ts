import type { GroupRecord } from '../domain/group';
import type { UserRecord } from '../domain/user';
import type { ChangeSet, DirectoryState } from '../store/store';
import type { DesiredState } from './mapping';

/**
 * Diffs the desired picture against the stored one: only what changed is written. Users and
 * groups are matched by external id, so a changed name is an update (a rename), never a delete
 * and a create.
 */
export function planChanges(current: DirectoryState, desired: DesiredState): ChangeSet {
  const currentUsers = new Map(current.users.map((u) => [u.externalId, u]));
  const currentGroups = new Map(current.groups.map((g) => [g.externalId, g]));
  const upsertUsers = desired.users.filter((u) => {
    const existing = currentUsers.get(u.externalId);
    return !existing || !sameUser(existing, u);
  });
  const upsertGroups = desired.groups.filter((g) => {
    const existing = currentGroups.get(g.externalId);
    return !existing || !sameGroup(existing, g);
  });
  const wantedUsers = new Set(desired.users.map((u) => u.externalId));
  const wantedGroups = new Set(desired.groups.map((g) => g.externalId));
  const [addUserMemberships, removeUserMemberships] = diffPairs(current.userMemberships, desired.userMemberships);
  const [addGroupMemberships, removeGroupMemberships] = diffPairs(current.groupMemberships, desired.groupMemberships);
  return {
    upsertUsers,
    removeUsers: current.users.filter((u) => !wantedUsers.has(u.externalId)).map((u) => u.externalId),
    upsertGroups,
    removeGroups: current.groups.filter((g) => !wantedGroups.has(g.externalId)).map((g) => g.externalId),
    addUserMemberships,
    removeUserMemberships,
    addGroupMemberships,
    removeGroupMemberships,
  };
}

function sameUser(a: UserRecord, b: UserRecord): boolean {
  return (
    a.name === b.name &&
    a.firstName === b.firstName &&
    a.lastName === b.lastName &&
    a.displayName === b.displayName &&
    a.email === b.email &&
    a.active === b.active &&
    JSON.stringify(a.attributes) === JSON.stringify(b.attributes)
  );
}

function sameGroup(a: GroupRecord, b: GroupRecord): boolean {
  return a.name === b.name && a.description === b.description && a.active === b.active && a.local === b.local;
}

type Pair = readonly [string, string];

function diffPairs(current: readonly Pair[], desired: readonly Pair[]): [Pair[], Pair[]] {
  const key = (p: Pair) => `${p[0]}\u0000${p[1]}`;
  const have = new Set(current.map(key));
  const want = new Set(desired.map(key));
  return [desired.filter((p) => !have.has(key(p))), current.filter((p) => !want.has(key(p)))];
}

export function isEmptyChangeSet(changes: ChangeSet): boolean {
  return Object.values(changes).every((list: readonly unknown[] | undefined) => !list || list.length === 0);
}
