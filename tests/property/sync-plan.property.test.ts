/**
 * Property-based tests of the sync plan, end to end through the real pieces: derive
 * (src/sync/derive.ts, collisions), planChanges (plan.ts), pictureAfter / eventsForPlan
 * (events.ts) and the SQLite store's apply (src/store/sqlite/apply.ts), driven by the engine
 * with a fake provider (tests/sync/harness.ts, fake-provider.ts).
 *
 * For a random upstream "before" and "after" (users, groups, memberships, nesting, renames,
 * name collisions between people, between groups and with local groups) and random settings:
 * 1. both full runs succeed and the store then holds exactly the engine's picture of "after";
 * 2. a Jira-like client that cached "before" with a full read and replays the Crowd events of the
 *    second run (Crowd `/event`, as EventTokenChangedCacheRefresher does) ends with exactly what a
 *    full read returns;
 * 3. a third run with nothing changed upstream writes nothing and appends no event.
 * The second run is full or incremental (the provider's change feed applied to the engine's mirror,
 * planned for the affected users alone when only users changed, src/sync/scoped.ts).
 */
import fc from 'fast-check';
import type { CrowdEvent } from '../../src/domain/events';
import { foldName } from '../../src/domain/names';
import type { ProviderGroup, ProviderMember, ProviderUser } from '../../src/providers/provider';
import { person, FakeUpstream } from '../sync/fake-provider';
import { harness, type Harness, type SettingsOverride } from '../sync/harness';
import { params } from './arbitraries';

// ---------------------------------------------------------------------------------------------
// Upstream pictures

interface Upstream {
  users: ProviderUser[];
  groups: ProviderGroup[];
  /** groupId → direct members. */
  members: Map<string, ProviderMember[]>;
}

const USER_IDS = Array.from({ length: 30 }, (_, i) => `u${String(i).padStart(2, '0')}`);
/** Logins from a small pool, in several cases: renames, collisions and names passed from one person to another are common. */
const LOGINS = [
  'ada',
  'Ada',
  'bob',
  'BOB',
  'cy',
  'dee',
  'eve',
  'fay',
  'gus',
  'hal',
  'ivy',
  'jo',
  'ada-u01',
  'kim',
  'lee',
];
/** Group ids sharing their first 8 alphanumerics, as provider ids often do. */
const GROUP_IDS = ['g-aaaaaaaa-1', 'g-aaaaaaaa-2', 'g-aaaaaaaa-3', 'g04', 'g05', 'g06', 'g07', 'g08', 'g09', 'g10'];
const GROUP_NAMES = ['Team', 'team', 'Eng', 'Sales', 'Ops', 'Team (gaaaaaaa)', 'jira-users', 'QA', 'Support'];

const upstream: fc.Arbitrary<Upstream> = fc
  .record({
    users: fc.subarray(USER_IDS, { maxLength: 30 }).chain((ids) =>
      fc.tuple(
        ...ids.map((id) =>
          fc.record({
            id: fc.constant(id),
            login: fc.constantFrom(...LOGINS),
            enabled: fc.boolean(),
            display: fc.constantFrom('A', 'B'),
          }),
        ),
      ),
    ),
    groups: fc.subarray(GROUP_IDS, { maxLength: 10 }).chain((ids) =>
      fc.tuple(
        ...ids.map((id) =>
          fc.record({
            id: fc.constant(id),
            name: fc.constantFrom(...GROUP_NAMES),
            description: fc.constantFrom('', 'd'),
          }),
        ),
      ),
    ),
    seedUsers: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 30, maxLength: 30 }),
    seedNesting: fc.array(fc.array(fc.nat(), { maxLength: 2 }), { minLength: 10, maxLength: 10 }),
  })
  .map(({ users, groups, seedUsers, seedNesting }) => {
    const members = new Map<string, ProviderMember[]>();
    const add = (groupId: string, member: ProviderMember) => {
      const list = members.get(groupId) ?? [];
      if (!list.some((m) => m.id === member.id)) list.push(member);
      members.set(groupId, list);
    };
    if (groups.length > 0) {
      users.forEach((u, i) =>
        seedUsers[i]!.forEach((n) => add(groups[n % groups.length]!.id, { kind: 'user', id: u.id })),
      );
      // Parents come earlier in the list than their children: no cycles.
      groups.forEach((g, i) => {
        if (i > 0) seedNesting[i]!.forEach((n) => add(groups[n % i]!.id, { kind: 'group', id: g.id }));
      });
    }
    return {
      users: users.map((u) =>
        person(u.id, `${u.login}@corp.example`, {
          enabled: u.enabled,
          displayName: `${u.login} ${u.display}`,
          attributes: {},
        }),
      ),
      groups,
      members,
    };
  });

/**
 * Before and after: independent pictures (groups renamed, added and removed too), or "after" changing
 * only users and their memberships — the case incremental runs plan for the affected users alone.
 */
const beforeAndAfter: fc.Arbitrary<[Upstream, Upstream]> = fc
  .tuple(upstream, upstream, fc.boolean())
  .map(([before, other, usersOnly]) => {
    if (!usersOnly) return [before, other];
    const members = new Map<string, ProviderMember[]>();
    for (const g of before.groups) {
      members.set(g.id, [
        ...(before.members.get(g.id) ?? []).filter((m) => m.kind === 'group'),
        ...(other.members.get(g.id) ?? []).filter((m) => m.kind === 'user'),
      ]);
    }
    return [before, { users: other.users, groups: before.groups, members }];
  });

const settings: fc.Arbitrary<SettingsOverride> = fc.record({
  username: fc.record({ lowercase: fc.boolean() }),
  nestedGroups: fc.constantFrom('keep' as const, 'flatten' as const),
  deprovisioning: fc.record({ deleted: fc.constantFrom('remove' as const, 'deactivate' as const) }),
  localGroups: fc.constantFrom([], ['jira-users']),
});

function load(up: FakeUpstream, picture: Upstream): void {
  up.users.clear();
  up.groups.clear();
  up.members.clear();
  for (const u of picture.users) up.users.set(u.id, u);
  for (const g of picture.groups) up.groups.set(g.id, g);
  for (const [g, list] of picture.members) up.members.set(g, [...list]);
}

/** Moves the upstream from its picture to `to` through the change-logging methods, so the change feed (delta) says what changed. */
function transition(up: FakeUpstream, to: Upstream): void {
  const users = new Map(to.users.map((u) => [u.id, u]));
  const groups = new Map(to.groups.map((g) => [g.id, g]));
  for (const id of [...up.users.keys()]) if (!users.has(id)) up.deleteUser(id);
  for (const id of [...up.groups.keys()]) if (!groups.has(id)) up.deleteGroup(id);
  for (const g of to.groups) if (JSON.stringify(up.groups.get(g.id)) !== JSON.stringify(g)) up.putGroup(g);
  for (const u of to.users) if (JSON.stringify(up.users.get(u.id)) !== JSON.stringify(u)) up.putUser(u);
  for (const g of to.groups) {
    const want = to.members.get(g.id) ?? [];
    const have = up.members.get(g.id) ?? [];
    for (const m of have) if (!want.some((w) => w.id === m.id)) up.removeMember(g.id, m.id);
    for (const m of want) if (!have.some((h) => h.id === m.id)) up.addMember(g.id, m);
  }
}

// ---------------------------------------------------------------------------------------------
// A Jira-like client cache (full and incremental synchronisation): names case-insensitive, users carry a key.

interface CachedUser {
  name: string;
  key: string;
  firstName: string;
  lastName: string;
  displayName: string;
  email: string;
  active: boolean;
}
interface CachedGroup {
  name: string;
  description: string;
  active: boolean;
}

class ClientCache {
  readonly users = new Map<string, CachedUser>();
  readonly groups = new Map<string, CachedGroup>();
  /** folded user → folded direct groups */
  readonly userGroups = new Map<string, Set<string>>();
  /** folded child group → folded parents */
  readonly groupParents = new Map<string, Set<string>>();
  /** Events the client could not apply (it would fall back to a full sync). */
  readonly conflicts: string[] = [];

  /** The state as a full synchronisation reads it (search users, search groups, memberships). */
  static fullRead(
    state: Awaited<ReturnType<Harness['store']['loadDirectoryContents']>>,
    directoryId: number,
  ): ClientCache {
    const c = new ClientCache();
    const userName = new Map(state.users.map((u) => [u.externalId, u.name]));
    const groupName = new Map(state.groups.map((g) => [g.externalId, g.name]));
    for (const u of state.users) {
      c.users.set(foldName(u.name), {
        name: u.name,
        key: `${directoryId}:${u.externalId}`,
        firstName: u.firstName,
        lastName: u.lastName,
        displayName: u.displayName,
        email: u.email,
        active: u.active,
      });
    }
    for (const g of state.groups)
      c.groups.set(foldName(g.name), { name: g.name, description: g.description, active: g.active });
    for (const [u, g] of state.userMemberships)
      c.link(c.userGroups, foldName(userName.get(u)!), foldName(groupName.get(g)!));
    for (const [child, parent] of state.groupMemberships)
      c.link(c.groupParents, foldName(groupName.get(child)!), foldName(groupName.get(parent)!));
    return c;
  }

  private link(map: Map<string, Set<string>>, from: string, to: string): void {
    map.set(from, (map.get(from) ?? new Set()).add(to));
  }

  apply(event: CrowdEvent): void {
    switch (event.type) {
      case 'user': {
        const folded = foldName(event.user.name);
        if (event.operation === 'DELETED') {
          // deleteCachedUser(name): by name, whoever holds it.
          this.users.delete(folded);
          this.userGroups.delete(folded);
          return;
        }
        // addOrUpdateCachedUser: the user with this key is updated (and renamed: memberships follow).
        const mine = [...this.users].find(([, u]) => u.key === event.user.key);
        const other = this.users.get(folded);
        if (other && other.key !== event.user.key) {
          this.conflicts.push(
            `${event.operation} ${event.user.name} (${event.user.key}): the name is held by ${other.key}`,
          );
          return;
        }
        if (mine && mine[0] !== folded) {
          this.users.delete(mine[0]);
          const groups = this.userGroups.get(mine[0]);
          this.userGroups.delete(mine[0]);
          if (groups) this.userGroups.set(folded, groups);
        }
        this.users.set(folded, { ...event.user });
        return;
      }
      case 'group': {
        const folded = foldName(event.group.name);
        if (event.operation === 'DELETED') {
          this.groups.delete(folded);
          for (const set of this.userGroups.values()) set.delete(folded);
          this.groupParents.delete(folded);
          for (const set of this.groupParents.values()) set.delete(folded);
          return;
        }
        this.groups.set(folded, { ...event.group });
        return;
      }
      case 'userMembership': {
        // syncGroupMembershipsForUser: the complete set of direct groups.
        const folded = foldName(event.user);
        if (!this.users.has(folded)) {
          this.conflicts.push(`membership of unknown user ${event.user}`);
          return;
        }
        const missing = event.groups.filter((g) => !this.groups.has(foldName(g)));
        if (missing.length > 0)
          this.conflicts.push(`membership of ${event.user} in unknown groups ${missing.join(', ')}`);
        this.userGroups.set(folded, new Set(event.groups.map(foldName).filter((g) => this.groups.has(g))));
        return;
      }
      case 'groupMembership': {
        // syncGroupMembershipsAndMembersForGroup: complete parents and children.
        const folded = foldName(event.group);
        if (!this.groups.has(folded)) {
          this.conflicts.push(`nesting of unknown group ${event.group}`);
          return;
        }
        this.groupParents.set(folded, new Set(event.parents.map(foldName)));
        const children = new Set(event.children.map(foldName));
        for (const child of this.groups.keys()) {
          const parents = this.groupParents.get(child) ?? new Set<string>();
          if (children.has(child)) parents.add(folded);
          else parents.delete(folded);
          this.groupParents.set(child, parents);
        }
        return;
      }
    }
  }

  /** A comparable snapshot: empty membership sets dropped, everything sorted. */
  snapshot(): unknown {
    const sets = (map: Map<string, Set<string>>) =>
      [...map]
        .filter(([, s]) => s.size > 0)
        .map(([k, s]) => [k, [...s].sort()] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1));
    return {
      users: [...this.users.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
      groups: [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
      userGroups: sets(this.userGroups),
      groupParents: sets(this.groupParents),
    };
  }
}

/**
 * Whether the run renamed users in a cycle (two people swapping names): the one order events
 * cannot express (src/sync/events.ts); a client then falls back to a full synchronisation.
 */
function hasUserRenameCycle(before: ClientCache, after: ClientCache): boolean {
  const beforeByKey = new Map([...before.users.values()].map((u) => [u.key, foldName(u.name)]));
  const holderBefore = new Map([...before.users.values()].map((u) => [foldName(u.name), u.key]));
  const next = new Map<string, string>(); // key → key of the one who held its new name
  for (const u of after.users.values()) {
    const old = beforeByKey.get(u.key);
    const holder = holderBefore.get(foldName(u.name));
    if (old !== undefined && old !== foldName(u.name) && holder !== undefined && holder !== u.key)
      next.set(u.key, holder);
  }
  for (const start of next.keys()) {
    let k: string | undefined = start;
    for (let i = 0; i <= next.size && k !== undefined; i++) {
      k = next.get(k);
      if (k === start) return true;
    }
  }
  return false;
}

const RUNS = 100;

// ---------------------------------------------------------------------------------------------

describe('sync plan (property-based, real SQLite store)', () => {
  test('applying the plan gives "after", and replaying its Crowd events on a cached "before" gives a full read', async () => {
    let cycles = 0;
    await fc.assert(
      fc.asyncProperty(
        beforeAndAfter,
        settings,
        fc.constantFrom('full' as const, 'incremental' as const),
        async ([before, after], override, mode) => {
          const up = new FakeUpstream();
          load(up, before);
          const h = await harness(up, override);
          try {
            const full = () => h.engine.sync('corp', { mode: 'full', trigger: 'manual' });
            const first = await full();
            expect({ status: first.status, error: first.error }).toEqual({ status: 'succeeded', error: null });
            const cached = ClientCache.fullRead(await h.store.loadDirectoryContents(h.directoryId), h.directoryId);
            const readBefore = ClientCache.fullRead(await h.store.loadDirectoryContents(h.directoryId), h.directoryId);
            await h.eventsSinceMark();

            // The second run reads everything again, or applies the provider's change feed to its mirror.
            transition(up, after);
            const second = await h.engine.sync('corp', { mode, trigger: 'manual' });
            expect({ status: second.status, error: second.error }).toEqual({ status: 'succeeded', error: null });
            const state = await h.store.loadDirectoryContents(h.directoryId);
            const read = ClientCache.fullRead(state, h.directoryId);

            // The store holds every upstream user of "after" (deactivated ones kept per the policy), under unique names.
            const names = state.users.map((u) => foldName(u.name));
            expect(new Set(names).size).toBe(names.length);
            for (const u of after.users)
              expect(state.users.some((s) => s.externalId === u.id && s.active === u.enabled)).toBe(true);

            const events = await h.eventsSinceMark();
            for (const e of events) cached.apply(e);
            if (cached.conflicts.length > 0 && hasUserRenameCycle(readBefore, read)) {
              cycles++; // documented: the client falls back to a full sync
            } else {
              expect(cached.conflicts).toEqual([]);
              expect(cached.snapshot()).toEqual(read.snapshot());
            }

            const third = await full();
            expect({ status: third.status, error: third.error }).toEqual({ status: 'succeeded', error: null });
            expect(third.counts).toEqual(Object.fromEntries(Object.keys(third.counts ?? {}).map((k) => [k, 0])));
            expect(await h.eventsSinceMark()).toEqual([]);
          } finally {
            await h.close();
          }
        },
      ),
      params(RUNS),
    );
    // Informational: how many runs hit a user rename cycle (the client's documented fallback).
    process.stdout.write(`sync-plan property: ${cycles} of ${RUNS} runs renamed users in a cycle\n`);
  });
});
