import { foldName } from '../../src/domain/names';
import type { Store } from '../../src/store/store';
import { groupRecord, userRecord } from './fixtures';

/**
 * The store conformance suite: every backend runs it unchanged (see src/store/store.ts for the
 * guarantees it checks). `open` must return a fresh, empty store.
 */
export function describeStoreConformance(label: string, open: () => Promise<Store>): void {
  describe(`Store conformance: ${label}`, () => {
    let store: Store;
    let dir: number;

    beforeEach(async () => {
      store = await open();
      [dir] = (await store.upsertDirectories([{ name: 'corp', provider: 'demo' }])).map((d) => d.id) as [number];
    });
    afterEach(async () => store.close());

    const names = (items: readonly { name: string }[]) => items.map((i) => i.name);

    test('directories keep configured order and update in place', async () => {
      const first = await store.upsertDirectories([
        { name: 'corp', provider: 'demo' },
        { name: 'Partners', provider: 'okta' },
      ]);
      expect(first.map((d) => [d.name, d.provider, d.position])).toEqual([
        ['corp', 'demo', 0],
        ['Partners', 'okta', 1],
      ]);
      const again = await store.upsertDirectories([
        { name: 'partners', provider: 'entra' },
        { name: 'CORP', provider: 'demo' },
      ]);
      expect(again.map((d) => d.id)).toEqual([first[1]!.id, first[0]!.id]);
      expect((await store.listDirectories()).map((d) => [d.name, d.provider])).toEqual([
        ['partners', 'entra'],
        ['CORP', 'demo'],
      ]);
    });

    test('apply creates users, groups and memberships and reports counts', async () => {
      const result = await store.apply(dir, {
        upsertUsers: [userRecord('u1', 'Alice'), userRecord('u2', 'bob')],
        upsertGroups: [groupRecord('g1', 'Engineering'), groupRecord('g2', 'all')],
        addUserMemberships: [
          ['u1', 'g1'],
          ['u2', 'g1'],
        ],
        addGroupMemberships: [['g1', 'g2']],
      });
      expect(result).toMatchObject({ usersCreated: 2, groupsCreated: 2, membershipsAdded: 3, usersRemoved: 0 });
      const state = await store.loadDirectoryContents(dir);
      expect(state.users.map((u) => u.externalId).sort()).toEqual(['u1', 'u2']);
      expect([...state.userMemberships].sort()).toEqual([
        ['u1', 'g1'],
        ['u2', 'g1'],
      ]);
      expect(state.groupMemberships).toEqual([['g1', 'g2']]);
    });

    test('names are unique case-insensitively, stored case is preserved, and a failed apply changes nothing', async () => {
      await store.apply(dir, { upsertUsers: [userRecord('u1', 'Alice')] });
      await expect(
        store.apply(dir, { upsertUsers: [userRecord('u2', 'bob'), userRecord('u3', 'ALICE')] }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('ALICE'),
      });
      const state = await store.loadDirectoryContents(dir);
      expect(names(state.users)).toEqual(['Alice']);
      const found = await store.findUsersByName([dir], [foldName('aLiCe')]);
      expect(names(found)).toEqual(['Alice']);
    });

    test('a membership to an unknown entity fails the whole change set', async () => {
      await expect(
        store.apply(dir, { upsertUsers: [userRecord('u1', 'alice')], addUserMemberships: [['u1', 'nope']] }),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((await store.loadDirectoryContents(dir)).users).toEqual([]);
    });

    test('a rename keeps the row id, and names can swap within one change set', async () => {
      await store.apply(dir, { upsertUsers: [userRecord('u1', 'alice'), userRecord('u2', 'bob')] });
      const [alice] = await store.findUsersByName([dir], ['alice']);
      await store.apply(dir, { upsertUsers: [userRecord('u1', 'bob'), userRecord('u2', 'alice')] });
      const [bob] = await store.findUsersByName([dir], ['bob']);
      expect(bob!.id).toBe(alice!.id);
      expect(bob!.externalId).toBe('u1');
      expect(bob!.createdAt.getTime()).toBe(alice!.createdAt.getTime());
    });

    test('removing a user or group removes its memberships', async () => {
      await store.apply(dir, {
        upsertUsers: [userRecord('u1', 'alice'), userRecord('u2', 'bob')],
        upsertGroups: [groupRecord('g1', 'one'), groupRecord('g2', 'two')],
        addUserMemberships: [
          ['u1', 'g1'],
          ['u2', 'g2'],
        ],
        addGroupMemberships: [['g2', 'g1']],
      });
      const result = await store.apply(dir, { removeUsers: ['u1'], removeGroups: ['g2'] });
      expect(result).toMatchObject({ usersRemoved: 1, groupsRemoved: 1 });
      const state = await store.loadDirectoryContents(dir);
      expect(state.userMemberships).toEqual([]);
      expect(state.groupMemberships).toEqual([]);
    });

    test('search orders by folded name in code-point order and pages with a cursor, offset and hasMore', async () => {
      const input = ['zoë', 'Émile', 'adam', 'Bob', 'carol', 'ZED', 'émilie'];
      await store.apply(dir, { upsertUsers: input.map((n, i) => userRecord(`u${i}`, n)) });
      const expected = [...input].sort((a, b) => (foldName(a) < foldName(b) ? -1 : 1));
      const all = await store.searchUsers({ directoryIds: [dir], filter: { kind: 'all' }, limit: 100 });
      expect(names(all.items)).toEqual(expected);
      expect(all.hasMore).toBe(false);

      const first = await store.searchUsers({ directoryIds: [dir], filter: { kind: 'all' }, limit: 3 });
      expect(names(first.items)).toEqual(expected.slice(0, 3));
      expect(first.hasMore).toBe(true);
      const next = await store.searchUsers({
        directoryIds: [dir],
        filter: { kind: 'all' },
        afterName: foldName(first.items[2]!.name),
        limit: 3,
      });
      expect(names(next.items)).toEqual(expected.slice(3, 6));
      const skipped = await store.searchUsers({ directoryIds: [dir], filter: { kind: 'all' }, offset: 5, limit: 10 });
      expect(names(skipped.items)).toEqual(expected.slice(5));
      const past = await store.searchUsers({ directoryIds: [dir], filter: { kind: 'all' }, offset: 50, limit: 10 });
      expect(past).toEqual({ items: [], hasMore: false });
      expect(await store.countUsers([dir], { kind: 'all' })).toBe(input.length);
    });

    test('user filters: string matches, empty, boolean, date, attribute, and/or', async () => {
      await store.apply(dir, {
        upsertUsers: [
          userRecord('u1', 'alice', { email: 'Alice@Corp.example', active: true, attributes: { department: ['R&D'] } }),
          userRecord('u2', 'albert', { email: '', active: false, attributes: { department: ['Sales', 'Ops'] } }),
          userRecord('u3', 'bob_x', { email: 'bob@corp.example', firstName: 'Ünal' }),
          userRecord('u4', 'bob%', { email: 'b@other.example' }),
        ],
      });
      const search = async (filter: Parameters<Store['countUsers']>[1]) =>
        names((await store.searchUsers({ directoryIds: [dir], filter, limit: 100 })).items);
      expect(await search({ kind: 'string', field: 'name', match: 'startsWith', value: 'AL' })).toEqual([
        'albert',
        'alice',
      ]);
      expect(await search({ kind: 'string', field: 'name', match: 'equals', value: 'ALICE' })).toEqual(['alice']);
      expect(await search({ kind: 'string', field: 'email', match: 'endsWith', value: '@CORP.example' })).toEqual([
        'alice',
        'bob_x',
      ]);
      expect(await search({ kind: 'string', field: 'name', match: 'contains', value: '_' })).toEqual(['bob_x']);
      expect(await search({ kind: 'string', field: 'name', match: 'contains', value: '%' })).toEqual(['bob%']);
      expect(await search({ kind: 'string', field: 'firstName', match: 'equals', value: 'üNAL' })).toEqual(['bob_x']);
      expect(await search({ kind: 'string', field: 'name', match: 'lessThan', value: 'b' })).toEqual([
        'albert',
        'alice',
      ]);
      expect(await search({ kind: 'empty', field: 'email' })).toEqual(['albert']);
      expect(await search({ kind: 'boolean', field: 'active', value: false })).toEqual(['albert']);
      expect(await search({ kind: 'date', field: 'createdAt', match: 'lessThan', value: new Date(0) })).toEqual([]);
      expect(await search({ kind: 'date', field: 'createdAt', match: 'greaterThan', value: new Date(0) })).toHaveLength(
        4,
      );
      expect(await search({ kind: 'attribute', name: 'department', match: 'equals', value: 'ops' })).toEqual([
        'albert',
      ]);
      expect(await search({ kind: 'attribute', name: 'nope', match: 'equals', value: 'ops' })).toEqual([]);
      expect(
        await search({
          kind: 'or',
          of: [
            { kind: 'string', field: 'name', match: 'equals', value: 'bob%' },
            {
              kind: 'and',
              of: [
                { kind: 'string', field: 'name', match: 'startsWith', value: 'al' },
                { kind: 'boolean', field: 'active', value: true },
              ],
            },
          ],
        }),
      ).toEqual(['alice', 'bob%']);
      expect(await store.countUsers([dir], { kind: 'boolean', field: 'active', value: true })).toBe(3);
    });

    test('filters of any size: wide AND/OR lists, equality lists, long values, empty values; too many values is INVALID_ARGUMENT', async () => {
      const long = 'ä'.repeat(30_000); // 60,000 UTF-8 bytes: over SQLite's 50,000-byte LIKE pattern limit
      await store.apply(dir, {
        upsertUsers: [
          userRecord('u1', 'alice', {
            displayName: `A${long}Z`,
            attributes: { bio: [`x${long}y`, 'short'], team: ['Core'] },
          }),
          userRecord('u2', 'bob', { displayName: 'Bob 100%_done', attributes: { team: ['Edge'] } }),
          userRecord('u3', 'carol', { displayName: `${long}`, attributes: {} }),
        ],
      });
      type UserFilter = Parameters<Store['countUsers']>[1];
      const search = async (filter: UserFilter) =>
        names((await store.searchUsers({ directoryIds: [dir], filter, limit: 100 })).items);
      const s = (
        field: 'name' | 'displayName',
        match: 'equals' | 'startsWith' | 'endsWith' | 'contains',
        value: string,
      ): UserFilter => ({ kind: 'string', field, match, value });
      const attr = (
        name: string,
        match: 'equals' | 'startsWith' | 'endsWith' | 'contains' | 'lessThan',
        value: string,
      ): UserFilter => ({ kind: 'attribute', name, match, value });

      // SQLite refuses expression trees deeper than 1000: lists of thousands of terms still work.
      const misses = (n: number, make: (i: number) => UserFilter) => Array.from({ length: n }, (_, i) => make(i));
      expect(
        await search({
          kind: 'or',
          of: [...misses(5000, (i) => s('name', 'startsWith', `zz${i}`)), s('name', 'equals', 'BOB')],
        }),
      ).toEqual(['bob']);
      expect(
        await search({
          kind: 'or',
          of: [
            ...misses(12_000, (i) => s('name', 'equals', `nobody${i}`)),
            s('name', 'equals', 'Carol'),
            s('name', 'equals', 'ALICE'),
          ],
        }),
      ).toEqual(['alice', 'carol']);
      expect(
        await search({ kind: 'and', of: misses(3000, () => ({ kind: 'boolean', field: 'active', value: true })) }),
      ).toEqual(['alice', 'bob', 'carol']);
      expect(
        await search({
          kind: 'or',
          of: [
            ...misses(3000, (i) => attr('team', 'equals', `t${i}`)),
            attr('team', 'startsWith', 'CO'),
            attr('bio', 'equals', 'SHORT'),
          ],
        }),
      ).toEqual(['alice']);
      expect(
        await search({
          kind: 'or',
          of: [
            { kind: 'or', of: [s('name', 'equals', 'bob')] },
            { kind: 'or', of: [s('name', 'equals', 'carol'), { kind: 'and', of: [] }] },
          ],
        }),
      ).toEqual(['alice', 'bob', 'carol']);
      expect(
        await search({
          kind: 'not',
          filter: { kind: 'or', of: [s('name', 'equals', 'bob'), s('name', 'equals', 'carol')] },
        }),
      ).toEqual(['alice']);

      // Values longer than SQLite's LIKE pattern limit, in columns and attributes.
      expect(await search(s('displayName', 'contains', long.toUpperCase()))).toEqual(['alice', 'carol']);
      expect(await search(s('displayName', 'startsWith', `a${long}`))).toEqual(['alice']);
      expect(await search(s('displayName', 'endsWith', `${long}z`))).toEqual(['alice']);
      expect(await search(s('displayName', 'equals', long))).toEqual(['carol']);
      expect(await search(attr('bio', 'contains', `${long}Y`))).toEqual(['alice']);
      expect(await search(attr('bio', 'startsWith', `X${long}`))).toEqual(['alice']);
      expect(await search(attr('bio', 'endsWith', `${long}y`))).toEqual(['alice']);
      expect(await search(s('displayName', 'contains', `${long}${long}`))).toEqual([]);
      // Wildcards are literal; the empty value starts, ends and is contained in every value.
      expect(await search(s('displayName', 'contains', '0%_D'))).toEqual(['bob']);
      expect(await search(s('displayName', 'contains', '%'))).toEqual(['bob']);
      expect(await search(s('displayName', 'endsWith', '_'))).toEqual([]);
      for (const match of ['startsWith', 'endsWith', 'contains'] as const) {
        expect(await search(s('displayName', match, ''))).toEqual(['alice', 'bob', 'carol']);
        expect(await search(attr('team', match, ''))).toEqual(['alice', 'bob']);
      }

      // More values than SQLite binds in one statement: a clear INVALID_ARGUMENT, not a SQLite error.
      await expect(
        search({ kind: 'and', of: misses(20_000, (i) => s('name', 'startsWith', `a${i}`)) }),
      ).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/^The filter is too large/),
      });
    });

    test('group filters and lookups', async () => {
      await store.apply(dir, {
        upsertGroups: [
          groupRecord('g1', 'jira-users', { local: true }),
          groupRecord('g2', 'Engineering', { description: 'Builders' }),
        ],
      });
      const page = await store.searchGroups({
        directoryIds: [dir],
        filter: { kind: 'boolean', field: 'local', value: true },
        limit: 10,
      });
      expect(names(page.items)).toEqual(['jira-users']);
      const described = await store.searchGroups({
        directoryIds: [dir],
        filter: { kind: 'string', field: 'description', match: 'contains', value: 'BUILD' },
        limit: 10,
      });
      expect(names(described.items)).toEqual(['Engineering']);
      expect(names(await store.findGroupsByName([dir], ['engineering']))).toEqual(['Engineering']);
      expect(await store.countGroups([dir], { kind: 'all' })).toBe(2);
    });

    test('a name in two directories resolves to the earlier one in the given precedence', async () => {
      const [, other] = (
        await store.upsertDirectories([
          { name: 'corp', provider: 'demo' },
          { name: 'other', provider: 'demo' },
        ])
      ).map((d) => d.id) as [number, number];
      await store.apply(dir, {
        upsertUsers: [userRecord('a', 'shared', { active: true }), userRecord('b', 'only-corp')],
      });
      await store.apply(other, {
        upsertUsers: [userRecord('c', 'SHARED', { active: false }), userRecord('d', 'only-other')],
      });

      const corpFirst = await store.searchUsers({ directoryIds: [dir, other], filter: { kind: 'all' }, limit: 10 });
      expect(corpFirst.items.map((u) => [u.name, u.directoryId])).toEqual([
        ['only-corp', dir],
        ['only-other', other],
        ['shared', dir],
      ]);
      const otherFirst = await store.searchUsers({ directoryIds: [other, dir], filter: { kind: 'all' }, limit: 10 });
      expect(otherFirst.items.find((u) => foldName(u.name) === 'shared')!.directoryId).toBe(other);
      // The shadowed user is hidden even when only it would match the filter.
      const inactive = await store.searchUsers({
        directoryIds: [dir, other],
        filter: { kind: 'boolean', field: 'active', value: false },
        limit: 10,
      });
      expect(inactive.items).toEqual([]);
      expect(await store.countUsers([dir, other], { kind: 'all' })).toBe(3);
    });

    test('direct and nested memberships in both directions, ordered by name, cycles terminate', async () => {
      // top ⊃ mid ⊃ leaf ; leaf ⊃ top would be a cycle (a provider may report one).
      await store.apply(dir, {
        upsertUsers: [userRecord('u1', 'zed'), userRecord('u2', 'amy'), userRecord('u3', 'max')],
        upsertGroups: [
          groupRecord('top', 'Top'),
          groupRecord('mid', 'mid'),
          groupRecord('leaf', 'Leaf'),
          groupRecord('solo', 'solo'),
        ],
        addUserMemberships: [
          ['u1', 'leaf'],
          ['u2', 'leaf'],
          ['u3', 'mid'],
          ['u3', 'top'],
        ],
        addGroupMemberships: [
          ['mid', 'top'],
          ['leaf', 'mid'],
          ['top', 'leaf'],
        ],
      });
      const ids = new Map((await store.loadDirectoryContents(dir)).groups.map((g) => [g.externalId, g.id]));
      const users = new Map((await store.loadDirectoryContents(dir)).users.map((u) => [u.externalId, u.id]));
      const folded = (refs: readonly { name: string }[] | undefined) => (refs ?? []).map((r) => foldName(r.name));

      const direct = await store.usersOfGroups([ids.get('leaf')!, ids.get('solo')!], false);
      expect(folded(direct.get(ids.get('leaf')!))).toEqual(['amy', 'zed']);
      expect(folded(direct.get(ids.get('solo')!))).toEqual([]);
      const nested = await store.usersOfGroups([ids.get('top')!], true);
      expect(folded(nested.get(ids.get('top')!))).toEqual(['amy', 'max', 'zed']);

      const groups = await store.groupsOfUsers([users.get('u1')!, users.get('u3')!], false);
      expect(folded(groups.get(users.get('u3')!))).toEqual(['mid', 'top']);
      const allGroups = await store.groupsOfUsers([users.get('u1')!], true);
      expect(folded(allGroups.get(users.get('u1')!))).toEqual(['leaf', 'mid', 'top']);

      expect(folded((await store.childGroupsOfGroups([ids.get('top')!], false)).get(ids.get('top')!))).toEqual(['mid']);
      expect(folded((await store.childGroupsOfGroups([ids.get('top')!], true)).get(ids.get('top')!))).toEqual([
        'leaf',
        'mid',
      ]);
      expect(folded((await store.parentGroupsOfGroups([ids.get('leaf')!], false)).get(ids.get('leaf')!))).toEqual([
        'mid',
      ]);
      expect(folded((await store.parentGroupsOfGroups([ids.get('leaf')!], true)).get(ids.get('leaf')!))).toEqual([
        'mid',
        'top',
      ]);
      // References carry the stored case (name-only lists need no second read).
      const stored = (refs: readonly { name: string }[] | undefined) => (refs ?? []).map((r) => r.name);
      expect(stored((await store.parentGroupsOfGroups([ids.get('leaf')!], true)).get(ids.get('leaf')!))).toEqual([
        'mid',
        'Top',
      ]);
      expect(stored((await store.childGroupsOfGroups([ids.get('top')!], true)).get(ids.get('top')!))).toEqual([
        'Leaf',
        'mid',
      ]);
      expect(stored(allGroups.get(users.get('u1')!))).toEqual(['Leaf', 'mid', 'Top']);
    });

    test('batch lookups by id and external id', async () => {
      await store.apply(dir, {
        upsertUsers: [userRecord('x1', 'one'), userRecord('x2', 'two')],
        upsertGroups: [groupRecord('g', 'g')],
      });
      const byExternal = await store.findUsersByExternalId(dir, ['x2', 'missing']);
      expect(names(byExternal)).toEqual(['two']);
      const byId = await store.getUsers([byExternal[0]!.id, 999999]);
      expect(names(byId)).toEqual(['two']);
      const group = (await store.findGroupsByName([dir], ['g']))[0]!;
      expect(names(await store.getGroups([group.id]))).toEqual(['g']);
      expect(byId[0]).toMatchObject({ firstName: 'two-first', email: 'two@example.com', active: true, attributes: {} });
    });

    test('users and groups read back carry their stored attributes, also through a spread, JSON and a structured clone', async () => {
      const department = { department: ['R&D', 'Ops'] };
      await store.apply(dir, {
        upsertUsers: [userRecord('a-1', 'attributed', { attributes: department }), userRecord('a-2', 'plain')],
        upsertGroups: [groupRecord('ga-1', 'tagged', { attributes: { cost: ['42'] } })],
      });
      const [attributed, plain] = (await store.findUsersByName([dir], ['attributed', 'plain'])).sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      expect(attributed!.attributes).toEqual(department);
      expect(plain!.attributes).toEqual({});
      expect({ ...attributed! }.attributes).toEqual(department);
      expect((JSON.parse(JSON.stringify(attributed)) as { attributes: unknown }).attributes).toEqual(department);
      expect(structuredClone(attributed!).attributes).toEqual(department);
      expect((await store.findGroupsByName([dir], ['tagged']))[0]!.attributes).toEqual({ cost: ['42'] });
    });

    test('batch lookups answer the same for one key, a few and many (short and long key lists)', async () => {
      const all = Array.from({ length: 40 }, (_, i) => `user${String(i).padStart(2, '0')}`);
      await store.apply(dir, {
        upsertUsers: all.map((name) => userRecord(`x-${name}`, name)),
        upsertGroups: all.map((name) => groupRecord(`g-${name}`, `G-${name}`)),
      });
      for (const size of [1, 2, 7, 8, 40]) {
        // one key more ("nobody"): 2, 3, 8 (bound one by one), 9 and 41 (json_each)
        const wanted = [...all.slice(0, size - 1), 'nobody', ...all.slice(size - 1, size)];
        expect(names(await store.findUsersByName([dir], wanted)).sort()).toEqual(all.slice(0, size));
        expect(
          names(
            await store.findGroupsByName(
              [dir],
              wanted.map((n) => `g-${n}`),
            ),
          ).sort(),
        ).toEqual(all.slice(0, size).map((n) => `G-${n}`));
        const users = await store.findUsersByExternalId(
          dir,
          wanted.map((n) => `x-${n}`),
        );
        expect(names(users).sort()).toEqual(all.slice(0, size));
        expect(names(await store.getUsers([...users.map((u) => u.id), 999_999])).sort()).toEqual(all.slice(0, size));
      }
    });
  });
}

/** The event log and sync records: the part of the contract the sync engine and `/event` rely on. */
export function describeEventLogConformance(label: string, open: () => Promise<Store>): void {
  describe(`Event log conformance: ${label}`, () => {
    let store: Store;
    let dir: number;
    beforeEach(async () => {
      store = await open();
      [dir] = (await store.upsertDirectories([{ name: 'corp', provider: 'demo' }])).map((d) => d.id) as [number];
    });
    afterEach(async () => store.close());

    const userEvent = (name: string) =>
      ({
        type: 'user',
        operation: 'CREATED',
        user: { name, key: `1:${name}`, firstName: '', lastName: '', displayName: '', email: '', active: true },
      }) as const;

    test('tokens are URL-safe and monotonic; events since a token are exactly those appended after it', async () => {
      const start = await store.currentEventToken();
      expect(start).toMatch(/^[A-Za-z0-9._-]+$/);
      await store.apply(dir, { upsertUsers: [userRecord('a', 'a')] }, { events: [userEvent('a')] });
      const middle = await store.currentEventToken();
      await store.apply(dir, { upsertUsers: [userRecord('b', 'b')] }, { events: [userEvent('b'), userEvent('c')] });
      const fromStart = await store.eventsSince(start, [dir]);
      expect(fromStart.kind === 'events' && fromStart.events.map((e) => e.event)).toEqual([
        userEvent('a'),
        userEvent('b'),
        userEvent('c'),
      ]);
      const fromMiddle = await store.eventsSince(middle, [dir]);
      expect(fromMiddle.kind === 'events' && fromMiddle.events.map((e) => e.seq)).toHaveLength(2);
      expect(fromMiddle.kind === 'events' && fromMiddle.token).toBe(await store.currentEventToken());
      // Other directories' events are not listed, but the token still moves past them.
      const [, other] = (
        await store.upsertDirectories([
          { name: 'corp', provider: 'demo' },
          { name: 'other', provider: 'demo' },
        ])
      ).map((d) => d.id) as [number, number];
      const before = await store.currentEventToken();
      await store.apply(other, { upsertUsers: [userRecord('z', 'z')] }, { events: [userEvent('z')] });
      const filtered = await store.eventsSince(before, [dir]);
      expect(filtered).toEqual({ kind: 'events', events: [], token: await store.currentEventToken() });
    });

    test('tokens from another store, from the future, malformed, or from before a reset are expired', async () => {
      const token = await store.currentEventToken();
      const other = await open();
      try {
        expect(await other.eventsSince(token, [dir])).toEqual({ kind: 'expired' });
      } finally {
        await other.close();
      }
      const [instance] = token.split('.');
      expect(await store.eventsSince(`${instance}.999999`, [dir])).toEqual({ kind: 'expired' });
      expect(await store.eventsSince('garbage', [dir])).toEqual({ kind: 'expired' });
      const many = Array.from({ length: 20_001 }, (_, i) => userEvent(`u${i}`));
      await store.apply(dir, {}, { events: many }); // too many: recorded as a reset
      expect(await store.eventsSince(token, [dir])).toEqual({ kind: 'expired' });
      const after = await store.eventsSince(await store.currentEventToken(), [dir]);
      expect(after).toMatchObject({ kind: 'events', events: [] });
    });

    test('cursor and run records', async () => {
      expect(await store.getCursor(dir)).toBeNull();
      await store.apply(dir, {}, { cursor: 'delta-1' });
      expect(await store.getCursor(dir)).toBe('delta-1');
      await store.apply(dir, {}, {});
      expect(await store.getCursor(dir)).toBe('delta-1');
      const run = await store.createRun({ directoryId: dir, mode: 'incremental', trigger: 'schedule' });
      expect(run).toMatchObject({ status: 'running', finishedAt: null, counts: {}, error: null });
      const done = await store.updateRun(run.id, {
        status: 'failed',
        error: 'boom',
        finishedAt: new Date(5),
        counts: { usersAdded: 1 },
        report: { fallback: 'x' },
      });
      expect(done).toMatchObject({
        status: 'failed',
        error: 'boom',
        counts: { usersAdded: 1 },
        report: { fallback: 'x' },
      });
      await store.createRun({ directoryId: dir, mode: 'full', trigger: 'manual' });
      expect((await store.listRuns({ directoryId: dir, limit: 10 })).map((r) => r.mode)).toEqual([
        'full',
        'incremental',
      ]);
    });
  });
}
