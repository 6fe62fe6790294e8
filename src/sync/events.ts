import { MAX_EVENTS_PER_CHANGE, type CrowdEvent, type EventBatch, type EventUser } from '../domain/events';
import type { UserRecord } from '../domain/user';
import type { DirectoryPicture } from './picture';
import type { Plan } from './plan';

/**
 * The Crowd events that describe an applied plan exactly (crowd-rest.md §3.7), in an order the
 * Crowd client can replay: group creations and updates, user creations and updates, membership
 * events (one UPDATED per affected user with their complete direct group set, one per affected
 * group with its complete parents and children), then user and group deletions. A group rename
 * is a DELETED and a CREATED (Crowd groups have no key), and refreshes its members' sets.
 *
 * `after` is the directory as it will be once the plan is applied.
 */
export function eventsForPlan(plan: Plan, before: DirectoryPicture, after: DirectoryPicture, directoryId: number): EventBatch {
  const c = plan.counts;
  const atLeast = c.usersAdded + c.usersUpdated + c.usersRenamed + c.usersDeactivated + c.usersRemoved + c.groupsAdded + c.groupsUpdated + c.groupsRemoved;
  if (atLeast > MAX_EVENTS_PER_CHANGE) return 'reset'; // don't build what the log would not keep
  const events: CrowdEvent[] = [];
  const deletions: CrowdEvent[] = [];
  const renamedGroups = new Set<string>();

  for (const group of plan.changes.upsertGroups ?? []) {
    const previous = before.groups.get(group.externalId);
    const entity = { name: group.name, description: group.description, active: group.active };
    if (previous && previous.name !== group.name) {
      renamedGroups.add(group.externalId);
      deletions.push({ type: 'group', operation: 'DELETED', group: { name: previous.name, description: previous.description, active: previous.active } });
      events.push({ type: 'group', operation: 'CREATED', group: entity });
    } else events.push({ type: 'group', operation: previous ? 'UPDATED' : 'CREATED', group: entity });
  }
  for (const user of plan.changes.upsertUsers ?? []) {
    events.push({ type: 'user', operation: before.users.has(user.externalId) ? 'UPDATED' : 'CREATED', user: eventUser(user, directoryId) });
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
    for (const [user, groups] of after.userGroups) if ([...groups].some((g) => renamedGroups.has(g))) usersToRefresh.add(user);
    for (const id of renamedGroups) groupsToRefresh.add(id);
    for (const [child, parents] of after.groupParents) if (renamedGroups.has(child) || [...parents].some((p) => renamedGroups.has(p))) {
      groupsToRefresh.add(child);
      for (const p of parents) groupsToRefresh.add(p);
    }
  }
  const groupName = (id: string) => after.groups.get(id)?.name;
  const names = (ids: Iterable<string>) => [...ids].map(groupName).filter((n): n is string => n !== undefined).sort();
  for (const id of usersToRefresh) {
    const user = after.users.get(id);
    if (user) events.push({ type: 'userMembership', operation: 'UPDATED', user: user.name, groups: names(after.userGroups.get(id) ?? []) });
  }
  if (groupsToRefresh.size > 0) {
    const children = new Map<string, string[]>();
    for (const [child, parents] of after.groupParents) for (const p of parents) children.set(p, [...(children.get(p) ?? []), child]);
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

  for (const id of plan.changes.removeUsers ?? []) {
    const user = before.users.get(id);
    if (user) events.push({ type: 'user', operation: 'DELETED', user: eventUser(user, directoryId) });
  }
  for (const id of plan.changes.removeGroups ?? []) {
    const group = before.groups.get(id);
    if (group) deletions.push({ type: 'group', operation: 'DELETED', group: { name: group.name, description: group.description, active: group.active } });
  }
  return [...events, ...deletions];
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

/** The directory once `plan` is applied: the desired picture plus users kept but deactivated. */
export function pictureAfter(desired: DirectoryPicture, plan: Plan): DirectoryPicture {
  const users = new Map(desired.users);
  for (const user of plan.changes.upsertUsers ?? []) users.set(user.externalId, user); // kept-but-deactivated users
  return { users, groups: desired.groups, userGroups: desired.userGroups, groupParents: desired.groupParents };
}
