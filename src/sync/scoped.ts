import { foldName } from '../domain/names';
import type { ProviderChange } from '../providers/provider';
import { ancestorClosure, toUserRecord, userFilter, userMemberships, type DeriveSettings } from './derive';
import type { UpstreamMirror } from './mirror';
import type { DirectoryPicture } from './picture';
import { planChanges, type Plan } from './plan';
import { projectUsername } from './username';

/**
 * Incremental runs that touch only users and their memberships (the common case: people join,
 * leave, change name or department) are planned for the affected users alone, so a run of a
 * thousand changes costs milliseconds, not a re-derivation of the whole tenant.
 *
 * `affectedUsers` (called before the changes are applied to `mirror`) answers undefined when a
 * change can affect the directory beyond those users —
 * a group created, renamed or deleted, group nesting changed, or a group filter in force (which
 * decides group inclusion from every member) — and the engine then derives the whole picture.
 */
export function affectedUsers(
  changes: readonly ProviderChange[],
  settings: DeriveSettings,
  mirror: UpstreamMirror,
): Set<string> | undefined {
  if (settings.filters.groups.length > 0) return undefined;
  const users = new Set<string>();
  for (const change of changes) {
    switch (change.kind) {
      case 'userUpserted':
        users.add(change.user.id);
        break;
      case 'userDeleted':
        users.add(change.id);
        break;
      case 'memberAdded':
      case 'memberRemoved':
        if (change.member.kind !== 'user') return undefined;
        users.add(change.member.id);
        break;
      case 'groupUpserted': {
        // Change feeds re-send a group whose members changed (Graph groups delta with
        // members@delta): unchanged name and description affect no one beyond its members.
        const known = mirror.groups.get(change.group.id);
        if (!known || known.name !== change.group.name || known.description !== change.group.description)
          return undefined;
        break;
      }
      default:
        return undefined;
    }
  }
  return users;
}

/**
 * Plans the affected users against the baseline (the store's picture). Answers undefined when a
 * name would collide with another user's (collisions are resolved across the whole directory
 * by a full derivation). Groups are untouched: no group change is in scope.
 */
export function planForUsers(
  mirror: UpstreamMirror,
  settings: DeriveSettings,
  baseline: DirectoryPicture,
  scope: ReadonlySet<string>,
): { plan: Plan; after: DirectoryPicture } | undefined {
  const ancestors = ancestorClosure(mirror);
  const keep = userFilter(mirror, settings, ancestors, new Set());
  const membershipsOf = userMemberships(mirror, settings, ancestors, new Set(mirror.groups.keys()));

  const holders = new Map<string, string>();
  for (const user of baseline.users.values())
    if (!scope.has(user.externalId)) holders.set(foldName(user.name), user.externalId);
  // Affected users who leave the picture but stay deactivated (`deprovisioning.deleted: deactivate`) keep their names.
  if (settings.deprovisioning.deleted === 'deactivate') {
    for (const id of scope) {
      const old = baseline.users.get(id);
      const user = mirror.users.get(id);
      if (old && (!user || !keep(user) || projectUsername(user, settings.username) === ''))
        holders.set(foldName(old.name), id);
    }
  }

  const before: DirectoryPicture = {
    users: new Map(),
    groups: baseline.groups,
    userGroups: new Map(),
    groupParents: new Map(),
  };
  const derived: DirectoryPicture = {
    users: new Map(),
    groups: baseline.groups,
    userGroups: new Map(),
    groupParents: new Map(),
  };
  for (const id of scope) {
    const old = baseline.users.get(id);
    if (old) before.users.set(id, old);
    const oldGroups = baseline.userGroups.get(id);
    if (oldGroups) before.userGroups.set(id, oldGroups);
    const user = mirror.users.get(id);
    if (!user || !keep(user)) continue;
    const name = projectUsername(user, settings.username);
    if (name === '') continue;
    const folded = foldName(name);
    if (holders.has(folded)) return undefined;
    holders.set(folded, id);
    const record = toUserRecord(user, name);
    derived.users.set(id, record);
    const groups = membershipsOf(id, record.active);
    if (groups.size > 0) derived.userGroups.set(id, groups);
  }
  const plan = planChanges(before, derived, settings.deprovisioning);

  const after: DirectoryPicture = {
    users: new Map(baseline.users),
    groups: baseline.groups,
    userGroups: new Map(baseline.userGroups),
    groupParents: baseline.groupParents,
  };
  // Affected users leave the picture only when removed: one kept (deactivated now or already
  // inactive) stays, so its membership events are written and the next run sees its name.
  const removed = new Set(plan.changes.removeUsers ?? []);
  for (const id of scope) {
    if (removed.has(id)) after.users.delete(id);
    after.userGroups.delete(id);
  }
  for (const [id, record] of derived.users) after.users.set(id, record);
  for (const record of plan.changes.upsertUsers ?? []) after.users.set(record.externalId, record); // kept but deactivated
  for (const [id, groups] of derived.userGroups) after.userGroups.set(id, groups);
  return { plan, after };
}
