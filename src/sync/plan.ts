import type { SyncSettings } from '../config/sync-schema';
import type { GroupRecord } from '../domain/group';
import type { UserRecord } from '../domain/user';
import type { ChangeSet } from '../store/store';
import { Pairs } from './pairs';
import type { DirectoryPicture } from './picture';

/** How many of each kind of change a plan holds. */
export interface PlanCounts {
  usersAdded: number;
  usersUpdated: number;
  usersRenamed: number;
  usersDeactivated: number;
  usersRemoved: number;
  groupsAdded: number;
  groupsUpdated: number;
  groupsRemoved: number;
  membershipsAdded: number;
  membershipsRemoved: number;
}

/** Who is affected, for dry runs and approvals; each list is capped at {@link DETAIL_LIMIT} entries. */
interface PlanDetails {
  usersAdded: string[];
  usersRenamed: Array<{ from: string; to: string }>;
  usersDeactivated: string[];
  usersRemoved: string[];
  groupsAdded: string[];
  groupsRemoved: string[];
  membershipsAdded: Array<{ member: string; group: string }>;
  membershipsRemoved: Array<{ member: string; group: string }>;
}

const DETAIL_LIMIT = 1000;

export interface Plan {
  readonly changes: ChangeSet;
  readonly counts: PlanCounts;
  readonly details: PlanDetails;
}

/**
 * Diffs the derived picture against the baseline (what the store holds). Users and groups are
 * matched by external id: a changed name is a rename (same row, same Crowd key), never a delete
 * and a create. Users in the baseline but not derived (deleted upstream, or no longer matching
 * the filters) are removed or deactivated per `deprovisioning.deleted`. Only what differs is
 * written.
 */
export function planChanges(
  baseline: DirectoryPicture,
  derived: DirectoryPicture,
  deprovisioning: SyncSettings['deprovisioning'],
): Plan {
  const counts: PlanCounts = {
    usersAdded: 0,
    usersUpdated: 0,
    usersRenamed: 0,
    usersDeactivated: 0,
    usersRemoved: 0,
    groupsAdded: 0,
    groupsUpdated: 0,
    groupsRemoved: 0,
    membershipsAdded: 0,
    membershipsRemoved: 0,
  };
  const details: PlanDetails = {
    usersAdded: [],
    usersRenamed: [],
    usersDeactivated: [],
    usersRemoved: [],
    groupsAdded: [],
    groupsRemoved: [],
    membershipsAdded: [],
    membershipsRemoved: [],
  };
  const note = <T>(list: T[], item: T) => list.length < DETAIL_LIMIT && list.push(item);

  const upsertUsers: UserRecord[] = [];
  const removeUsers: string[] = [];
  for (const [id, user] of derived.users) {
    const before = baseline.users.get(id);
    if (!before) {
      upsertUsers.push(user);
      counts.usersAdded++;
      note(details.usersAdded, user.name);
    } else if (!sameUser(before, user)) {
      upsertUsers.push(user);
      if (before.name !== user.name) {
        counts.usersRenamed++;
        note(details.usersRenamed, { from: before.name, to: user.name });
      } else if (before.active && !user.active) {
        counts.usersDeactivated++;
        note(details.usersDeactivated, user.name);
      } else counts.usersUpdated++;
    }
  }
  for (const [id, before] of baseline.users) {
    if (derived.users.has(id)) continue;
    if (deprovisioning.deleted === 'remove') {
      removeUsers.push(id);
      counts.usersRemoved++;
      note(details.usersRemoved, before.name);
    } else if (before.active) {
      upsertUsers.push({ ...before, active: false });
      counts.usersDeactivated++;
      note(details.usersDeactivated, before.name);
    }
  }

  const upsertGroups: GroupRecord[] = [];
  const removeGroups: string[] = [];
  for (const [id, group] of derived.groups) {
    const before = baseline.groups.get(id);
    if (!before) {
      upsertGroups.push(group);
      counts.groupsAdded++;
      note(details.groupsAdded, group.name);
    } else if (!sameGroup(before, group)) {
      upsertGroups.push(group);
      counts.groupsUpdated++;
    }
  }
  for (const [id, before] of baseline.groups) {
    if (derived.groups.has(id)) continue;
    removeGroups.push(id);
    counts.groupsRemoved++;
    note(details.groupsRemoved, before.name);
  }

  const removed = { users: new Set(removeUsers), groups: new Set(removeGroups) };
  const nameOf = (map: Map<string, { name: string }>, fallback: Map<string, { name: string }>, id: string) =>
    map.get(id)?.name ?? fallback.get(id)?.name ?? id;
  const diffLinks = (before: Map<string, Set<string>>, after: Map<string, Set<string>>, memberIsUser: boolean) => {
    const add = new Pairs();
    const remove = new Pairs();
    const members = memberIsUser ? derived.users : derived.groups;
    const baseMembers = memberIsUser ? baseline.users : baseline.groups;
    for (const [member, targets] of after) {
      const had = before.get(member);
      for (const target of targets) {
        if (had?.has(target)) continue;
        add.push(member, target);
        note(details.membershipsAdded, {
          member: nameOf(members, baseMembers, member),
          group: nameOf(derived.groups, baseline.groups, target),
        });
      }
    }
    for (const [member, targets] of before) {
      if ((memberIsUser ? removed.users : removed.groups).has(member)) continue; // cascades with the entity
      const has = after.get(member);
      for (const target of targets) {
        if (has?.has(target) || removed.groups.has(target)) continue;
        remove.push(member, target);
        note(details.membershipsRemoved, {
          member: nameOf(members, baseMembers, member),
          group: nameOf(derived.groups, baseline.groups, target),
        });
      }
    }
    counts.membershipsAdded += add.length;
    counts.membershipsRemoved += remove.length;
    return { add, remove };
  };
  const users = diffLinks(baseline.userGroups, derived.userGroups, true);
  const groups = diffLinks(baseline.groupParents, derived.groupParents, false);

  return {
    changes: {
      upsertUsers,
      removeUsers,
      upsertGroups,
      removeGroups,
      addUserMemberships: users.add,
      removeUserMemberships: users.remove,
      addGroupMemberships: groups.add,
      removeGroupMemberships: groups.remove,
    },
    counts,
    details,
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
    sameAttributes(a.attributes, b.attributes)
  );
}

function sameAttributes(a: UserRecord['attributes'], b: UserRecord['attributes']): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    const x = a[k]!;
    const y = b[k];
    return y !== undefined && x.length === y.length && x.every((v, i) => v === y[i]);
  });
}

function sameGroup(a: GroupRecord, b: GroupRecord): boolean {
  return a.name === b.name && a.description === b.description && a.active === b.active && a.local === b.local;
}
