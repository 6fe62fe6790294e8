import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionReport, DirectoryProvider, ProviderGroup, ProviderMember, ProviderUser } from '../../src/providers/provider';
import { openSqliteStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { runFullSync } from '../../src/sync/full-sync';

interface Picture {
  users: ProviderUser[];
  groups: ProviderGroup[];
  members: Record<string, ProviderMember[]>;
}

/** A provider double: serves whatever picture the test sets, and can fail half-way through. */
class FakeProvider implements DirectoryProvider {
  readonly kind = 'fake';
  failMembersOf: string | null = null;
  constructor(public picture: Picture) {}

  async *users(): AsyncIterable<ProviderUser> {
    yield* this.picture.users;
  }
  async *groups(): AsyncIterable<ProviderGroup> {
    yield* this.picture.groups;
  }
  async *members(group: ProviderGroup): AsyncIterable<ProviderMember> {
    if (group.id === this.failMembersOf) throw new Error('members page 2 failed: 503');
    yield* this.picture.members[group.id] ?? [];
  }
  async testConnection(): Promise<ConnectionReport> {
    return { ok: true, messages: [] };
  }
}

const person = (id: string, login: string, enabled = true): ProviderUser => ({
  id,
  login,
  email: login,
  givenName: id,
  surname: 'Test',
  displayName: `${id} Test`,
  enabled,
  guest: false,
  attributes: { department: 'R&D' },
});

describe('full sync (provider → plan → store)', () => {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-sync-'));
  let store: Store;
  let dir: number;
  beforeEach(async () => {
    store = openSqliteStore(mkdtempSync(join(root, 'run-')));
    [dir] = (await store.upsertDirectories([{ name: 'corp', provider: 'fake' }])).map((d) => d.id) as [number];
  });
  afterEach(() => store.close());
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const picture = (): Picture => ({
    users: [person('u1', 'ada@corp.example'), person('u2', 'bob@corp.example'), person('u3', 'eve@corp.example', false)],
    groups: [
      { id: 'g1', name: 'Engineering', description: 'eng' },
      { id: 'g2', name: 'Platform', description: '' },
    ],
    members: { g1: [{ kind: 'user', id: 'u1' }, { kind: 'group', id: 'g2' }], g2: [{ kind: 'user', id: 'u2' }] },
  });

  test('maps usernames (login without domain), memberships, nesting and local groups', async () => {
    const result = await runFullSync(store, dir, new FakeProvider(picture()), { localGroups: ['jira-software-users'] });
    expect(result).toMatchObject({ usersCreated: 3, groupsCreated: 3, membershipsAdded: 5 });
    const state = await store.loadDirectoryState(dir);
    expect(state.users.map((u) => [u.name, u.active]).sort()).toEqual([
      ['ada', true],
      ['bob', true],
      ['eve', false],
    ]);
    expect(state.groups.find((g) => g.local)?.name).toBe('jira-software-users');
    // Every active user, and only them, is in the local group.
    expect(state.userMemberships.filter(([, g]) => g === 'local:jira-software-users').map(([u]) => u).sort()).toEqual(['u1', 'u2']);
    expect(state.groupMemberships).toEqual([['g2', 'g1']]);
  });

  test('a second run with no upstream change writes nothing; a rename keeps the row', async () => {
    const provider = new FakeProvider(picture());
    await runFullSync(store, dir, provider, { localGroups: [] });
    const [before] = await store.findUsersByName([dir], ['ada']);
    expect(await runFullSync(store, dir, provider, { localGroups: [] })).toEqual({
      usersCreated: 0,
      usersUpdated: 0,
      usersRemoved: 0,
      groupsCreated: 0,
      groupsUpdated: 0,
      groupsRemoved: 0,
      membershipsAdded: 0,
      membershipsRemoved: 0,
    });
    provider.picture.users[0] = person('u1', 'ada.lovelace@corp.example');
    expect(await runFullSync(store, dir, provider, { localGroups: [] })).toMatchObject({ usersUpdated: 1, usersCreated: 0, usersRemoved: 0 });
    const [after] = await store.findUsersByName([dir], ['ada.lovelace']);
    expect(after!.id).toBe(before!.id);
  });

  test('users and groups that vanish upstream are removed, with their memberships', async () => {
    const provider = new FakeProvider(picture());
    await runFullSync(store, dir, provider, { localGroups: [] });
    provider.picture = { ...picture(), users: picture().users.slice(0, 1), groups: picture().groups.slice(0, 1), members: { g1: [{ kind: 'user', id: 'u1' }] } };
    expect(await runFullSync(store, dir, provider, { localGroups: [] })).toMatchObject({ usersRemoved: 2, groupsRemoved: 1 });
    const state = await store.loadDirectoryState(dir);
    expect(state.userMemberships).toEqual([['u1', 'g1']]);
    expect(state.groupMemberships).toEqual([]);
  });

  test('a listing that fails half-way changes nothing', async () => {
    const provider = new FakeProvider(picture());
    await runFullSync(store, dir, provider, { localGroups: [] });
    const before = await store.loadDirectoryState(dir);
    provider.picture = { ...picture(), users: [] }; // would look like "everyone deleted"
    provider.failMembersOf = 'g2';
    await expect(runFullSync(store, dir, provider, { localGroups: [] })).rejects.toThrow('members page 2 failed');
    expect(await store.loadDirectoryState(dir)).toEqual(before);
  });
});
