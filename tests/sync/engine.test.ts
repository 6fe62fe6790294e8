import { person } from './fake-provider';
import { harness, standardUpstream, type Harness } from './harness';

describe('sync engine', () => {
  let h: Harness;
  afterEach(() => h?.close());

  const full = () => h.engine.sync('corp', { mode: 'full', trigger: 'manual' });
  const incremental = () => h.engine.sync('corp', { mode: 'incremental', trigger: 'manual' });

  describe('defaults: the whole tenant', () => {
    test('every user (disabled as inactive, guests included), every group, nesting kept', async () => {
      h = await harness(standardUpstream());
      const run = await full();
      expect(run.status).toBe('succeeded');
      expect(await h.users()).toEqual([
        'ada:true',
        'bob:true',
        'cy:true',
        'dee:true',
        'eve:false',
        'gus_partner.example#EXT#:true',
      ]);
      expect(await h.groups()).toEqual(['Empty', 'Engineering', 'Platform', 'Sales']);
      expect(await h.memberships()).toEqual([
        '[Platform]>Engineering',
        'ada>Engineering',
        'bob>Engineering',
        'cy>Platform',
        'dee>Sales',
        'eve>Sales',
      ]);
      expect(run.counts).toMatchObject({ usersAdded: 6, groupsAdded: 4, membershipsAdded: 6 });
    });

    test('a second full run with no upstream change writes nothing and appends no event', async () => {
      h = await harness(standardUpstream());
      await full();
      await h.eventsSinceMark();
      const again = await full();
      expect(Object.values(again.counts).every((n) => n === 0)).toBe(true);
      expect(await h.eventsSinceMark()).toEqual([]);
    });
  });

  test("a run's report counts the provider's throttled answers during the run, only when there were some", async () => {
    const upstream = standardUpstream();
    upstream.throttled = 5; // before the run: not this run's
    h = await harness(upstream);
    expect((await full()).report).not.toHaveProperty('throttled');
    const groups = upstream.groupsIterable.bind(upstream);
    upstream.groupsIterable = async function* () {
      upstream.throttled += 3;
      yield* groups();
    };
    expect((await full()).report).toMatchObject({ throttled: 3 });
  });

  test('a rename upstream is a rename in Crowd: same key, one UPDATED event', async () => {
    h = await harness(standardUpstream());
    await full();
    const [before] = await h.store.findUsersByName([h.directoryId], ['ada']);
    await h.eventsSinceMark();
    h.upstream.putUser(person('u-ada', 'ada.lovelace@corp.example'));
    const run = await full();
    expect(run.counts).toMatchObject({ usersRenamed: 1, usersAdded: 0, usersRemoved: 0 });
    const [after] = await h.store.findUsersByName([h.directoryId], ['ada.lovelace']);
    expect(after!.id).toBe(before!.id);
    expect(await h.eventsSinceMark()).toEqual([
      {
        type: 'user',
        operation: 'UPDATED',
        user: expect.objectContaining({ name: 'ada.lovelace', key: `${h.directoryId}:u-ada` }),
      },
    ]);
  });

  test('collisions: deterministic, the current holder keeps the name, nobody dropped, reported', async () => {
    h = await harness(standardUpstream(), { username: { source: 'email', stripDomain: true, lowercase: true } });
    h.upstream.putUser(person('u-zz-ada2', 'ada2@corp.example', { email: 'ADA@other.example' }));
    const run = await full();
    expect(await h.users()).toContain('ada:true');
    expect(await h.users()).toContain('ada-uzzada2:true');
    const report = run.report as { collisions: Array<{ name: string; keptBy: string; renamed: unknown[] }> };
    expect(report.collisions).toEqual([
      { kind: 'user', name: 'ada', keptBy: 'u-ada', renamed: [{ externalId: 'u-zz-ada2', name: 'ada-uzzada2' }] },
    ]);
    // A newcomer with a smaller id does not take the name from its holder.
    h.upstream.putUser(person('u-a-ada3', 'ada3@corp.example', { email: 'Ada@third.example' }));
    await full();
    const users = await h.users();
    expect(users).toContain('ada:true');
    expect((await h.store.findUsersByName([h.directoryId], ['ada']))[0]!.externalId).toBe('u-ada');
    expect(users).toContain('ada-uaada3:true');
  });

  describe('filters', () => {
    test('only members of chosen groups, directly or nested; other groups only when a synced user needs them', async () => {
      h = await harness(standardUpstream(), { filters: { groups: ['engineering'] } });
      await full();
      expect(await h.users()).toEqual(['ada:true', 'bob:true', 'cy:true']);
      expect(await h.groups()).toEqual(['Engineering', 'Platform']);
    });

    test('exclude disabled accounts and guests; attribute and domain predicates', async () => {
      h = await harness(standardUpstream(), {
        filters: {
          disabledUsers: 'exclude',
          guests: 'exclude',
          attributes: [{ name: 'department', equals: ['sales', 'platform'] }],
        },
      });
      await full();
      expect(await h.users()).toEqual(['cy:true', 'dee:true']);
      await h.close();
      h = await harness(standardUpstream(), {
        filters: { attributes: [{ name: 'domain', matches: '^corp\\.example$' }], guests: 'exclude' },
      });
      await full();
      expect((await h.users()).length).toBe(5);
    });
  });

  test('local groups hold every active user; mappings add members of a provider group, nested included', async () => {
    h = await harness(standardUpstream(), {
      localGroups: ['jira-software-users'],
      groupMappings: [{ from: 'Engineering', to: 'jira-developers' }],
    });
    await full();
    const memberships = await h.memberships();
    expect(memberships.filter((m) => m.endsWith('>jira-software-users'))).toEqual([
      'ada>jira-software-users',
      'bob>jira-software-users',
      'cy>jira-software-users',
      'dee>jira-software-users',
      'gus_partner.example#EXT#>jira-software-users',
    ]);
    expect(memberships.filter((m) => m.endsWith('>jira-developers'))).toEqual([
      'ada>jira-developers',
      'bob>jira-developers',
      'cy>jira-developers',
    ]);
    const local = await h.store.searchGroups({
      directoryIds: [h.directoryId],
      filter: { kind: 'boolean', field: 'local', value: true },
      limit: 10,
    });
    expect(local.items.map((g) => g.name)).toEqual(['jira-developers', 'jira-software-users']);
  });

  test('flattening turns nesting into direct user memberships', async () => {
    h = await harness(standardUpstream(), { nestedGroups: 'flatten' });
    await full();
    expect(await h.memberships()).toEqual([
      'ada>Engineering',
      'bob>Engineering',
      'cy>Engineering',
      'cy>Platform',
      'dee>Sales',
      'eve>Sales',
    ]);
  });

  describe('deprovisioning', () => {
    test('default: disabled upstream → inactive; deleted upstream → removed with memberships', async () => {
      h = await harness(standardUpstream());
      await full();
      h.upstream.putUser(person('u-bob', 'bob@corp.example', { enabled: false }));
      h.upstream.deleteUser('u-dee');
      const run = await full();
      expect(run.counts).toMatchObject({ usersDeactivated: 1, usersRemoved: 1 });
      expect(await h.users()).toEqual([
        'ada:true',
        'bob:false',
        'cy:true',
        'eve:false',
        'gus_partner.example#EXT#:true',
      ]);
      expect((await h.memberships()).some((m) => m.startsWith('dee>'))).toBe(false);
    });

    test('policies: disabled → removed; deleted → kept inactive without memberships', async () => {
      h = await harness(standardUpstream(), { deprovisioning: { disabled: 'remove', deleted: 'deactivate' } });
      await full();
      expect(await h.users()).not.toContain('eve:false');
      h.upstream.deleteUser('u-dee');
      await full();
      expect(await h.users()).toContain('dee:false');
      expect((await h.memberships()).some((m) => m.startsWith('dee>'))).toBe(false);
    });
  });

  describe('safety threshold', () => {
    async function bigRemoval() {
      h = await harness(standardUpstream(), { safety: { maxRemovalShare: 0.1, maxRemovals: 500 } });
      await full();
      h.upstream.deleteUser('u-ada');
      h.upstream.deleteUser('u-bob');
      const run = await full();
      return run;
    }

    test('a run that would remove too many stops before applying and waits', async () => {
      const run = await bigRemoval();
      expect(run.status).toBe('awaiting-approval');
      expect((run.report as { awaitingApproval: string }).awaitingApproval).toMatch(/2 of 6 users \(33.3%\)/);
      expect(await h.users()).toContain('ada:true');
    });

    test('approve applies the waiting plan', async () => {
      const run = await bigRemoval();
      const approved = await h.engine.approve(run.id);
      expect(approved.status).toBe('succeeded');
      expect(await h.users()).not.toContain('ada:true');
    });

    test('drop discards it and keeps the directory', async () => {
      const run = await bigRemoval();
      expect((await h.engine.drop(run.id)).status).toBe('dropped');
      expect(await h.users()).toContain('ada:true');
      await expect(h.engine.approve(run.id)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
  });

  test('dry run reports the plan and leaves the store untouched', async () => {
    h = await harness(standardUpstream());
    await full();
    const before = await h.store.loadDirectoryContents(h.directoryId);
    h.upstream.putUser(person('u-new', 'new@corp.example'));
    h.upstream.putUser(person('u-ada', 'ada.l@corp.example'));
    h.upstream.removeMember('g-eng', 'u-bob');
    const run = await h.engine.sync('corp', { mode: 'full', trigger: 'manual', dryRun: true });
    expect(run.status).toBe('dry-run');
    expect((run.report as { details: unknown }).details).toMatchObject({
      usersAdded: ['new'],
      usersRenamed: [{ from: 'ada', to: 'ada.l' }],
      membershipsRemoved: [{ member: 'bob', group: 'Engineering' }],
    });
    expect(await h.store.loadDirectoryContents(h.directoryId)).toEqual(before);
  });

  test('events describe exactly the applied changes, membership events carry complete sets', async () => {
    h = await harness(standardUpstream());
    await full();
    await h.eventsSinceMark();
    h.upstream.addMember('g-sales', { kind: 'user', id: 'u-ada' });
    h.upstream.putGroup({ id: 'g-new', name: 'New Team', description: 'n' });
    h.upstream.addMember('g-new', { kind: 'group', id: 'g-plat' });
    h.upstream.deleteUser('u-eve');
    await full();
    const events = await h.eventsSinceMark();
    // Deletions first: a client deletes by name, and a freed name may be taken in the same set.
    expect(events).toEqual([
      { type: 'user', operation: 'DELETED', user: expect.objectContaining({ name: 'eve' }) },
      { type: 'group', operation: 'CREATED', group: { name: 'New Team', description: 'n', active: true } },
      { type: 'userMembership', operation: 'UPDATED', user: 'ada', groups: ['Engineering', 'Sales'] },
      {
        type: 'groupMembership',
        operation: 'UPDATED',
        group: 'Platform',
        parents: ['Engineering', 'New Team'],
        children: [],
      },
      { type: 'groupMembership', operation: 'UPDATED', group: 'New Team', parents: [], children: ['Platform'] },
    ]);
  });

  describe('all or nothing', () => {
    const stages: Array<[string, (h: Harness) => void]> = [
      ['users listing', (x) => (x.upstream.fail.users = true)],
      ['groups listing', (x) => (x.upstream.fail.groups = true)],
      ['members listing', (x) => (x.upstream.fail.membersOf = 'g-sales')],
    ];
    test.each(stages)('a failure in the %s leaves the previous state', async (_stage, breakIt) => {
      h = await harness(standardUpstream());
      await full();
      const before = await h.store.loadDirectoryContents(h.directoryId);
      h.upstream.deleteUser('u-ada'); // would look like a deletion if a partial picture were applied
      breakIt(h);
      const run = await full();
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/503|429|token expired/);
      expect(await h.store.loadDirectoryContents(h.directoryId)).toEqual(before);
    });

    test('a failure while applying rolls back everything, events and cursor included', async () => {
      h = await harness(standardUpstream());
      await full();
      const before = await h.store.loadDirectoryContents(h.directoryId);
      const token = await h.store.currentEventToken();
      const cursor = await h.store.getCursor(h.directoryId);
      // Two upstream users that project to the same name *and* the same fallback name cannot
      // exist, so break the store instead: a group named like a local group under another id.
      const original = h.store.apply.bind(h.store);
      h.store.apply = async (directoryId, changes, extras) => {
        await original(
          directoryId,
          { ...changes, addUserMemberships: [...(changes.addUserMemberships ?? []), ['ghost', 'g-eng']] },
          extras,
        );
        return original(directoryId, changes, extras);
      };
      h.upstream.putUser(person('u-new', 'new@corp.example'));
      const run = await incremental();
      expect(run.status).toBe('failed');
      expect(await h.store.loadDirectoryContents(h.directoryId)).toEqual(before);
      expect(await h.store.currentEventToken()).toBe(token);
      expect(await h.store.getCursor(h.directoryId)).toBe(cursor);
    });

    test('a delta that fails half-way leaves the previous state; the next run recovers', async () => {
      h = await harness(standardUpstream());
      await full();
      const before = await h.store.loadDirectoryContents(h.directoryId);
      h.upstream.deleteUser('u-ada');
      h.upstream.fail.delta = true;
      expect((await incremental()).status).toBe('failed');
      expect(await h.store.loadDirectoryContents(h.directoryId)).toEqual(before);
      h.upstream.fail.delta = false;
      const recovered = await incremental();
      expect(recovered.status).toBe('succeeded');
      expect(await h.users()).not.toContain('ada:true');
    });
  });

  describe('incremental runs', () => {
    test('apply the change feed without a full listing', async () => {
      h = await harness(standardUpstream());
      await full();
      const listings = h.upstream.calls.users;
      h.upstream.putUser(person('u-new', 'new@corp.example'));
      h.upstream.addMember('g-eng', { kind: 'user', id: 'u-new' });
      h.upstream.putUser(person('u-bob', 'bob@corp.example', { enabled: false }));
      const run = await incremental();
      expect(run).toMatchObject({ status: 'succeeded', mode: 'incremental' });
      expect(h.upstream.calls.users).toBe(listings);
      expect(await h.users()).toEqual(expect.arrayContaining(['new:true', 'bob:false']));
      expect(await h.memberships()).toContain('new>Engineering');
    });

    test.each([
      ['defaults', {}],
      [
        'local groups, mappings, flattening, deactivate on delete',
        {
          localGroups: ['jira-software-users'],
          groupMappings: [{ from: 'Engineering', to: 'devs' }],
          nestedGroups: 'flatten' as const,
          deprovisioning: { deleted: 'deactivate' as const },
        },
      ],
      [
        'excluding disabled accounts and guests',
        { filters: { disabledUsers: 'exclude' as const, guests: 'exclude' as const } },
      ],
    ])('an incremental run leaves exactly what a full run would (%s)', async (_label, settings) => {
      h = await harness(standardUpstream(), settings);
      await full();
      h.upstream.putUser(person('u-new', 'new@corp.example'));
      h.upstream.addMember('g-plat', { kind: 'user', id: 'u-new' });
      h.upstream.putUser(person('u-ada', 'ada.l@corp.example'));
      h.upstream.putUser(person('u-bob', 'bob@corp.example', { enabled: false }));
      h.upstream.putUser(person('u-eve', 'eve@corp.example', { enabled: true }));
      h.upstream.removeMember('g-eng', 'u-bob');
      h.upstream.deleteUser('u-dee');
      h.upstream.putUser(person('u-cy', 'bob@corp.example')); // takes a name another user holds: falls back to a full derivation
      h.upstream.putUser(person('u-cy', 'cy@corp.example'));
      expect((await incremental()).status).toBe('succeeded');
      const afterIncremental = await h.store.loadDirectoryContents(h.directoryId);
      const check = await full();
      expect(check.counts).toEqual(
        expect.objectContaining({
          usersAdded: 0,
          usersUpdated: 0,
          usersRenamed: 0,
          usersDeactivated: 0,
          usersRemoved: 0,
          membershipsAdded: 0,
          membershipsRemoved: 0,
        }),
      );
      expect(await h.store.loadDirectoryContents(h.directoryId)).toEqual(afterIncremental);
    });

    test('a group re-sent unchanged by the feed keeps the run user-scoped; a renamed group does not', async () => {
      h = await harness(standardUpstream());
      await full();
      h.upstream.addMember('g-sales', { kind: 'user', id: 'u-ada' });
      h.upstream.putGroup({ id: 'g-sales', name: 'Sales', description: '' }); // as Graph's groups delta does
      const scopedRun = await incremental();
      expect((scopedRun.report as { filteredOut?: number }).filteredOut).toBeUndefined(); // planned for ada alone
      expect(await h.memberships()).toContain('ada>Sales');
      h.upstream.putGroup({ id: 'g-sales', name: 'Sales EMEA', description: '' });
      const wholeRun = await incremental();
      expect((wholeRun.report as { filteredOut?: number }).filteredOut).toBe(0); // derived the whole directory
      expect(await h.groups()).toContain('Sales EMEA');
      const before = await h.store.loadDirectoryContents(h.directoryId);
      await full();
      expect(await h.store.loadDirectoryContents(h.directoryId)).toEqual(before);
    });

    test('a name collision in an incremental run is resolved like in a full run', async () => {
      h = await harness(standardUpstream());
      await full();
      h.upstream.putUser(person('u-cy', 'ada@corp.example'));
      const run = await incremental();
      expect(run.mode).toBe('incremental');
      expect(await h.users()).toEqual(expect.arrayContaining(['ada:true', 'ada-ucy:true']));
      expect((run.report as { collisions: unknown[] }).collisions).toHaveLength(1);
    });

    test('fall back to a full run when the provider says resync, or when there is no position yet', async () => {
      h = await harness(standardUpstream());
      const first = await incremental();
      expect(first).toMatchObject({ status: 'succeeded', mode: 'full' });
      expect((first.report as { fallback: string }).fallback).toBe('no change-feed position yet');
      h.upstream.oldestCursor = 1_000;
      h.upstream.putUser(person('u-new', 'new@corp.example'));
      const second = await incremental();
      expect(second.mode).toBe('full');
      expect((second.report as { fallback: string }).fallback).toMatch(/410 Gone/);
      expect(await h.users()).toContain('new:true');
    });
  });

  test('runs of one directory never overlap; requests made meanwhile are coalesced', async () => {
    h = await harness(standardUpstream());
    let release = () => {};
    h.upstream.gate = new Promise((resolve) => (release = resolve));
    const first = full();
    while (!h.engine.progress(h.directoryId)) await new Promise((resolve) => setImmediate(resolve)); // running
    const second = full();
    const third = incremental();
    release();
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(a.id).not.toBe(b.id);
    expect(b.id).toBe(c.id); // the incremental request joined the queued full run
    expect(a.finishedAt!.getTime()).toBeLessThanOrEqual(b.startedAt.getTime());
    expect(b.mode).toBe('full');
    expect(await h.store.listRuns({ directoryId: h.directoryId, limit: 10 })).toHaveLength(2);
  });
});
