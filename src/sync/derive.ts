import type { SyncSettings } from '../config/sync-schema';
import { localGroupExternalId, type GroupRecord } from '../domain/group';
import { foldName } from '../domain/names';
import type { UserRecord } from '../domain/user';
import type { ProviderUser } from '../providers/provider';
import { resolveNameCollisions, type Collision } from './collisions';
import type { UpstreamMirror } from './mirror';
import { addLink, emptyPicture, type DirectoryPicture } from './picture';
import { loginDomain, projectUsername } from './username';

export interface DeriveSettings extends SyncSettings {
  readonly localGroups: readonly string[];
}

interface Derived {
  readonly picture: DirectoryPicture;
  readonly collisions: Collision[];
  /** Upstream users left out by the filters or the deprovisioning policy. */
  readonly filteredOut: number;
  /** Upstream users whose username source is empty (reported, not synced). */
  readonly withoutUsername: string[];
}

/**
 * Maps the upstream mirror to the directory Crowd should see: filters, username projection with
 * deterministic collision handling, local groups and group mappings, nesting kept or flattened.
 * Pure: the same mirror, settings and current names always give the same picture.
 *
 * `currentNames` (folded username → external id of the user holding it in the store) keeps a
 * collision's winner stable: the person who already has a name keeps it.
 */
export function derive(
  mirror: UpstreamMirror,
  settings: DeriveSettings,
  currentNames: ReadonlyMap<string, string>,
): Derived {
  const ancestors = ancestorClosure(mirror);
  const filterGroups = groupsNamed(mirror, settings.filters.groups);
  const keep = userFilter(mirror, settings, ancestors, filterGroups);

  const included: Array<{ user: ProviderUser; name: string }> = [];
  const withoutUsername: string[] = [];
  let filteredOut = 0;
  for (const user of mirror.users.values()) {
    if (!keep(user)) {
      filteredOut++;
      continue;
    }
    const name = projectUsername(user, settings.username);
    if (name === '') withoutUsername.push(user.id);
    else included.push({ user, name });
  }

  // Under `deprovisioning.deleted: deactivate`, users left out stay in the store (deactivated)
  // and keep their names: a newcomer projecting to one gets a variant (else the apply conflicts).
  const includedIds = new Set(included.map(({ user }) => user.id));
  const kept =
    settings.deprovisioning.deleted === 'deactivate'
      ? new Map([...currentNames].filter(([, id]) => !includedIds.has(id)))
      : undefined;
  const { names, collisions } = resolveNameCollisions(
    included.map(({ user, name }) => ({ externalId: user.id, name })),
    currentNames,
    kept,
  );
  const picture = emptyPicture();
  for (const { user } of included) picture.users.set(user.id, toUserRecord(user, names.get(user.id)!));

  // Groups: all of them without a group filter; with one, the filter groups and every group a
  // synced user is in (directly or through nesting).
  const syncedGroups = new Set<string>();
  if (filterGroups.size === 0) for (const id of mirror.groups.keys()) syncedGroups.add(id);
  else {
    for (const id of filterGroups) syncedGroups.add(id);
    for (const userId of picture.users.keys())
      for (const g of mirror.userGroups.get(userId) ?? []) for (const a of ancestors(g)) syncedGroups.add(a);
  }

  const localNames = [...settings.localGroups, ...settings.groupMappings.map((m) => m.to)];
  const groupNames = resolveGroupNames(mirror, syncedGroups, localNames, collisions);
  for (const id of syncedGroups) {
    const group = mirror.groups.get(id)!;
    picture.groups.set(id, {
      externalId: id,
      name: groupNames.get(id)!,
      description: group.description,
      active: true,
      local: false,
      attributes: {},
    });
  }
  for (const name of dedupeFolded(localNames)) picture.groups.set(localGroupExternalId(name), localGroup(name));

  const membershipsOf = userMemberships(mirror, settings, ancestors, syncedGroups);
  for (const [userId, record] of picture.users) {
    const groups = membershipsOf(userId, record.active);
    if (groups.size > 0) picture.userGroups.set(userId, groups);
  }
  if (settings.nestedGroups === 'keep') {
    for (const [child, parents] of mirror.groupParents) {
      if (!syncedGroups.has(child)) continue;
      for (const parent of parents)
        if (syncedGroups.has(parent) && parent !== child) addLink(picture.groupParents, child, parent);
    }
  }
  return { picture, collisions, filteredOut, withoutUsername };
}

type Ancestors = (groupId: string) => ReadonlySet<string>;

/** Whether an upstream user is synced: enabled-or-kept-inactive, guest rule, attribute predicates, group filter. */
export function userFilter(
  mirror: UpstreamMirror,
  settings: DeriveSettings,
  ancestors: Ancestors,
  filterGroups: ReadonlySet<string>,
): (user: ProviderUser) => boolean {
  const predicates = settings.filters.attributes.map((p) => ({
    name: p.name,
    test: p.equals ? new Set(p.equals.map(foldName)) : new RegExp(p.matches!, 'u'),
  }));
  const keepDisabled =
    settings.filters.disabledUsers === 'include' && settings.deprovisioning.disabled === 'deactivate';
  return (user) =>
    (user.enabled || keepDisabled) &&
    (!user.guest || settings.filters.guests === 'include') &&
    predicates.every(({ name, test }) => {
      const value =
        name === 'domain'
          ? loginDomain(user)
          : name === 'email'
            ? user.email
            : ((Object.hasOwn(user.attributes, name) ? user.attributes[name] : undefined) ?? '');
      return test instanceof Set ? test.has(foldName(value)) : test.test(value);
    }) &&
    (filterGroups.size === 0 ||
      [...(mirror.userGroups.get(user.id) ?? [])].some((g) => [...ancestors(g)].some((a) => filterGroups.has(a))));
}

/**
 * A synced user's direct groups in Crowd: their provider groups (or, flattened, those and every
 * ancestor) among the synced groups; plus, for active users, the local groups and the mapped
 * groups of provider groups they belong to directly or through nesting.
 */
export function userMemberships(
  mirror: UpstreamMirror,
  settings: DeriveSettings,
  ancestors: Ancestors,
  syncedGroups: ReadonlySet<string>,
): (userId: string, active: boolean) => Set<string> {
  const localIds = settings.localGroups.map(localGroupExternalId);
  const mapped = settings.groupMappings.map((m) => ({
    sources: groupsNamed(mirror, [m.from]),
    target: localGroupExternalId(m.to),
  }));
  const flatten = settings.nestedGroups === 'flatten';
  return (userId, active) => {
    const groups = new Set<string>();
    const direct = mirror.userGroups.get(userId);
    if (direct) {
      for (const g of direct) {
        if (flatten) {
          for (const a of ancestors(g)) if (syncedGroups.has(a)) groups.add(a);
        } else if (syncedGroups.has(g)) groups.add(g);
      }
    }
    if (!active) return groups;
    for (const id of localIds) groups.add(id);
    if (mapped.length > 0 && direct) {
      const reach = new Set<string>();
      for (const g of direct) for (const a of ancestors(g)) reach.add(a);
      for (const { sources, target } of mapped)
        if ([...sources].some((source) => reach.has(source))) groups.add(target);
    }
    return groups;
  };
}

/**
 * A user as the store keeps it. The provider's login is kept as the `login` attribute: password
 * checks at the provider (Crowd `/authentication`) need it when the username is a projection.
 */
export function toUserRecord(user: ProviderUser, name: string): UserRecord {
  const attributes: Record<string, string[]> = {};
  const values: Record<string, string> = { ...user.attributes, login: user.login };
  for (const key of Object.keys(values).sort()) {
    const value = values[key];
    if (value) attributes[key] = [value];
  }
  return {
    externalId: user.id,
    name,
    firstName: user.givenName,
    lastName: user.surname,
    displayName: user.displayName,
    email: user.email,
    active: user.enabled,
    attributes,
  };
}

function localGroup(name: string): GroupRecord {
  return {
    externalId: localGroupExternalId(name),
    name,
    description: 'Local group managed by crowdgate',
    active: true,
    local: true,
    attributes: {},
  };
}

function dedupeFolded(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => !seen.has(foldName(n)) && seen.add(foldName(n)));
}

/** Ids of the groups whose names (case-insensitively) are listed. */
function groupsNamed(mirror: UpstreamMirror, names: readonly string[]): Set<string> {
  if (names.length === 0) return new Set();
  const wanted = new Set(names.map(foldName));
  return new Set([...mirror.groups.values()].filter((g) => wanted.has(foldName(g.name))).map((g) => g.id));
}

/** A memoised "the group and all its ancestors" function; cycles reported by a provider terminate. */
export function ancestorClosure(mirror: UpstreamMirror): Ancestors {
  const memo = new Map<string, Set<string>>();
  const visit = (id: string, path: Set<string>): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const result = new Set<string>([id]);
    path.add(id);
    for (const parent of mirror.groupParents.get(id) ?? []) {
      if (path.has(parent) || !mirror.groups.has(parent)) continue;
      for (const a of visit(parent, path)) result.add(a);
    }
    path.delete(id);
    memo.set(id, result);
    return result;
  };
  return (id) => (mirror.groups.has(id) ? visit(id, new Set()) : new Set());
}

/**
 * Group names are unique per directory case-insensitively, but providers allow duplicates (Entra
 * display names) and a provider group may share a local group's name. Local names win; among
 * provider groups the smallest id keeps the name; the others get ` (<id prefix>)`. Reported.
 */
function resolveGroupNames(
  mirror: UpstreamMirror,
  synced: ReadonlySet<string>,
  localNames: readonly string[],
  collisions: Collision[],
): Map<string, string> {
  const taken = new Set(localNames.map(foldName));
  const byName = new Map<string, string[]>();
  for (const id of synced) {
    const folded = foldName(mirror.groups.get(id)!.name);
    const ids = byName.get(folded);
    if (ids) ids.push(id);
    else byName.set(folded, [id]);
  }
  const names = new Map<string, string>();
  // Variants must not take a name in use (ids can share their first 8 characters; a group may be
  // named like another's variant), and are handed out in name order, whatever the listing order.
  const used = new Set([...taken, ...byName.keys()]);
  const variant = (name: string, id: string): string => {
    const alnum = id.replace(/[^A-Za-z0-9]/g, '') || 'x';
    const candidates = [`${name} (${alnum.slice(0, 8)})`, `${name} (${alnum})`];
    for (let n = 2; ; n++) {
      const candidate = candidates.shift() ?? `${name} (${alnum}) ${n}`;
      if (!used.has(foldName(candidate))) {
        used.add(foldName(candidate));
        return candidate;
      }
    }
  };
  for (const [folded, ids] of [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    ids.sort();
    ids.forEach((id, index) => {
      const name = mirror.groups.get(id)!.name;
      const loses = index > 0 || taken.has(folded);
      names.set(id, loses ? variant(name, id) : name);
    });
    if (ids.length > 1 || taken.has(folded)) {
      collisions.push({
        kind: 'group',
        name: mirror.groups.get(ids[0]!)!.name,
        keptBy: taken.has(folded) ? 'local group' : ids[0]!,
        renamed: ids
          .filter((id) => names.get(id) !== mirror.groups.get(id)!.name)
          .map((id) => ({ externalId: id, name: names.get(id)! })),
      });
    }
  }
  return names;
}
