import { MAX_EVENTS_PER_CHANGE, type CrowdEvent, type EventBatch, type EventUser } from '../domain/events';
import { foldName } from '../domain/names';
import type { UserRecord } from '../domain/user';
import type { DirectoryPicture } from './picture';
import type { Plan } from './plan';

/**
 * The Crowd events that describe an applied plan exactly (Crowd `/event`: https://developer.atlassian.com/server/crowd/crowd-rest-resources/), in an order the
 * Crowd client can replay: user and group deletions first, then group creations and updates,
 * user creations and updates, membership events (one UPDATED per affected user with their
 * complete direct group set, one per affected group with its complete parents and children). A
 * group rename is a DELETED and a CREATED (Crowd groups have no key), and refreshes its members'
 * sets.
 *
 * Deletions come first because a client deletes by name (`deleteCachedUser(name)`, groups by
 * name): a name freed in this change set and taken by another user or group (a leaver's login
 * given to a new hire, "Team" renamed "Team (old)" and "Team New" renamed "Team") would
 * otherwise be deleted right after its new holder was written. For the same reason a user
 * renamed onto a name another user gives up in this set comes after that user's rename; only a
 * cycle of renames (two users swapping names) cannot be ordered, and a client then falls back to
 * a full sync. Found by the sync fault matrix (tests/sync/fault-matrix.test.ts).
 *
 * `after` is the directory as it will be once the plan is applied.
 */
export function eventsForPlan(
  plan: Plan,
  before: DirectoryPicture,
  after: DirectoryPicture,
  directoryId: number,
): EventBatch {
  const c = plan.counts;
  const atLeast =
    c.usersAdded +
    c.usersUpdated +
    c.usersRenamed +
    c.usersDeactivated +
    c.usersRemoved +
    c.groupsAdded +
    c.groupsUpdated +
    c.groupsRemoved;
  if (atLeast > MAX_EVENTS_PER_CHANGE) return 'reset'; // don't build what the log would not keep
  const events: CrowdEvent[] = [];
  const deletions: CrowdEvent[] = [];
  const renamedGroups = new Set<string>();

  for (const group of plan.changes.upsertGroups ?? []) {
    const previous = before.groups.get(group.externalId);
    const entity = { name: group.name, description: group.description, active: group.active };
    if (previous && previous.name !== group.name) {
      renamedGroups.add(group.externalId);
      deletions.push({
        type: 'group',
        operation: 'DELETED',
        group: { name: previous.name, description: previous.description, active: previous.active },
      });
      events.push({ type: 'group', operation: 'CREATED', group: entity });
    } else events.push({ type: 'group', operation: previous ? 'UPDATED' : 'CREATED', group: entity });
  }
  for (const user of renamesInOrder(plan.changes.upsertUsers ?? [], before)) {
    events.push({
      type: 'user',
      operation: before.users.has(user.externalId) ? 'UPDATED' : 'CREATED',
      user: eventUser(user, directoryId),
    });
  }

  const usersToRefresh = new Set<string>();
  for (const [user] of plan.changes.addUserMemberships ?? []) usersToRefresh.add(user);
  for (const [user] of plan.changes.removeUserMemberships ?? []) usersToRefresh.add(user);
  const groupsToRefresh = new Set<string>();
  for (const pairs of [plan.changes.addGroupMemberships ?? [], plan.changes.removeGroupMemberships ?? []]) {
    for (const [child, parent] of pairs) {
      groupsToRefresh.add(child);
      groupsToRefresh.add(parent);
    }
  }
  if (renamedGroups.size > 0) {
    for (const [user, groups] of after.userGroups)
      if ([...groups].some((g) => renamedGroups.has(g))) usersToRefresh.add(user);
    for (const id of renamedGroups) groupsToRefresh.add(id);
    for (const [child, parents] of after.groupParents)
      if (renamedGroups.has(child) || [...parents].some((p) => renamedGroups.has(p))) {
        groupsToRefresh.add(child);
        for (const p of parents) groupsToRefresh.add(p);
      }
  }
  const groupName = (id: string) => after.groups.get(id)?.name;
  const names = (ids: Iterable<string>) =>
    [...ids]
      .map(groupName)
      .filter((n): n is string => n !== undefined)
      .sort();
  for (const id of usersToRefresh) {
    const user = after.users.get(id);
    if (user)
      events.push({
        type: 'userMembership',
        operation: 'UPDATED',
        user: user.name,
        groups: names(after.userGroups.get(id) ?? []),
      });
  }
  if (groupsToRefresh.size > 0) {
    const children = new Map<string, string[]>();
    for (const [child, parents] of after.groupParents)
      for (const p of parents) children.set(p, [...(children.get(p) ?? []), child]);
    for (const id of groupsToRefresh) {
      const name = groupName(id);
      if (name === undefined) continue;
      events.push({
        type: 'groupMembership',
        operation: 'UPDATED',
        group: name,
        parents: names(after.groupParents.get(id) ?? []),
        children: names(children.get(id) ?? []),
      });
    }
  }

  const userDeletions: CrowdEvent[] = [];
  for (const id of plan.changes.removeUsers ?? []) {
    const user = before.users.get(id);
    if (user) userDeletions.push({ type: 'user', operation: 'DELETED', user: eventUser(user, directoryId) });
  }
  for (const id of plan.changes.removeGroups ?? []) {
    const group = before.groups.get(id);
    if (group)
      deletions.push({
        type: 'group',
        operation: 'DELETED',
        group: { name: group.name, description: group.description, active: group.active },
      });
  }
  return [...userDeletions, ...deletions, ...events];
}

/**
 * User upserts ordered so that a user taking a name another upserted user gives up comes after
 * that one (a rename chain); users on a cycle of renames keep the plan's order.
 */
function renamesInOrder(users: readonly UserRecord[], before: DirectoryPicture): UserRecord[] {
  const holderOf = new Map<string, string>();
  for (const u of before.users.values()) holderOf.set(foldName(u.name), u.externalId);
  const upserted = new Map(users.map((u) => [u.externalId, u]));
  const out: UserRecord[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (user: UserRecord): void => {
    if (state.has(user.externalId)) return; // done, or a cycle: leave it where it is
    state.set(user.externalId, 'visiting');
    const holder = holderOf.get(foldName(user.name));
    const previous = holder !== undefined && holder !== user.externalId ? upserted.get(holder) : undefined;
    if (previous) visit(previous);
    state.set(user.externalId, 'done');
    out.push(user);
  };
  for (const user of users) visit(user);
  return out;
}

function eventUser(user: UserRecord, directoryId: number): EventUser {
  return {
    name: user.name,
    key: `${directoryId}:${user.externalId}`,
    firstName: user.firstName,
    lastName: user.lastName,
    displayName: user.displayName,
    email: user.email,
    active: user.active,
  };
}

/**
 * The directory once `plan` is applied to `baseline`: the derived picture plus the users kept
 * though not derived (`deprovisioning.deleted: deactivate`), deactivated by this plan or already
 * inactive. The engine diffs the next run against this picture, so a kept user missing here
 * would lose its name to a newcomer and the next apply would conflict.
 */
export function pictureAfter(derived: DirectoryPicture, plan: Plan, baseline: DirectoryPicture): DirectoryPicture {
  const users = new Map(derived.users);
  const removed = new Set(plan.changes.removeUsers ?? []);
  for (const [id, user] of baseline.users) if (!users.has(id) && !removed.has(id)) users.set(id, user);
  for (const user of plan.changes.upsertUsers ?? []) users.set(user.externalId, user); // kept-but-deactivated users
  return { users, groups: derived.groups, userGroups: derived.userGroups, groupParents: derived.groupParents };
}
