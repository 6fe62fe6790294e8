import type { Client } from '@microsoft/microsoft-graph-client';
import type { RunningEntraEmulator } from '../../../src/emulators/entra';
import type { TenantUser } from '../../../src/emulators/tenant';
import type { LiveUser } from '../../../src/emulators/core/tenant-state';
import { accessToken, closeAll, graphClient, graphError, raw, startSmall } from './helpers';

/**
 * Delta queries end to end through the Graph client: initial round to a deltaLink, changes through
 * the live TenantState, next round shows exactly them (merged across pages, replays tolerated).
 * Small pages force splits: 50 objects and 200 members@delta entries per page.
 */
let emu: RunningEntraEmulator;
let client: Client;
beforeAll(async () => {
  emu = await startSmall({ delta: { objectsPerPage: 50, memberEntriesPerPage: 200 } });
  client = graphClient(emu);
});
afterAll(() => closeAll(emu));

interface Entry {
  id: string;
  '@removed'?: { reason: string };
  'members@delta'?: { '@odata.type': string; id: string; '@removed'?: { reason: string } }[];
  [key: string]: unknown;
}

async function round(
  start: string,
  headers: Record<string, string> = {},
): Promise<{ pages: Entry[][]; deltaLink: string }> {
  const pages: Entry[][] = [];
  let url: string | undefined = start;
  for (;;) {
    const page = (await client.api(url).headers(headers).get()) as {
      value: Entry[];
      '@odata.nextLink'?: string;
      '@odata.deltaLink'?: string;
    };
    pages.push(page.value);
    if (page['@odata.deltaLink']) return { pages, deltaLink: page['@odata.deltaLink'] };
    url = page['@odata.nextLink'];
    if (!url) throw new Error('page without nextLink or deltaLink');
  }
}

interface MergedGroup {
  removed: string | null;
  props: Entry;
  added: Set<string>;
  removedMembers: Map<string, string>;
  types: Map<string, string>;
  pages: number;
}

/** Merges group entries across pages, as a connector must: last properties win, member slices unite. */
function mergeGroups(pages: Entry[][]): Map<string, MergedGroup> {
  const merged = new Map<string, MergedGroup>();
  pages.forEach((page) => {
    for (const e of page) {
      const m = merged.get(e.id) ?? {
        removed: null,
        props: e,
        added: new Set(),
        removedMembers: new Map(),
        types: new Map(),
        pages: 0,
      };
      m.pages++;
      m.props = { ...m.props, ...e };
      if (e['@removed']) m.removed = e['@removed'].reason;
      for (const member of e['members@delta'] ?? []) {
        m.types.set(member.id, member['@odata.type']);
        if (member['@removed']) {
          m.removedMembers.set(member.id, member['@removed'].reason);
          m.added.delete(member.id);
        } else {
          m.added.add(member.id);
          m.removedMembers.delete(member.id);
        }
      }
      merged.set(e.id, m);
    }
  });
  return merged;
}

function newUser(id: string, login: string): TenantUser {
  return {
    id,
    givenName: 'Delta',
    surname: 'Tester',
    displayName: 'Delta Tester',
    login,
    mail: login,
    mailNickname: login.split('@')[0]!,
    samAccountName: null,
    department: 'Engineering',
    jobTitle: 'Engineer',
    employeeId: '999001',
    enabled: true,
    guest: false,
    createdAt: new Date(),
  };
}

describe('users delta', () => {
  let deltaLink: string;

  test('initial round lists every user once (modulo replays) and ends with a deltaLink', async () => {
    const r = await round('/users/delta?$select=id,userPrincipalName,displayName,accountEnabled,jobTitle');
    const entries = r.pages.flat();
    expect(new Set(entries.map((e) => e.id))).toEqual(new Set(emu.state.users.keys()));
    expect(r.pages.length).toBe(Math.ceil(emu.state.users.size / 49));
    expect(entries.length).toBeGreaterThan(emu.state.users.size); // replays: each continuation page re-sends one user
    expect(r.deltaLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\/delta\?\$deltatoken=/);
    deltaLink = r.deltaLink;
  });

  test('next round shows exactly the changes: create, rename, disable, delete, update', async () => {
    const [renamed, disabled, deleted, retitled] = [...emu.state.users.values()]
      .filter((u) => u.enabled)
      .slice(20, 24) as [LiveUser, LiveUser, LiveUser, LiveUser];
    const created = newUser('0d0d0d0d-0000-4000-8000-000000000001', `delta.tester@${emu.tenantDomain}`);
    const newLogin = `renamed.${renamed.login}`;
    emu.state.createUser(created);
    emu.state.updateUser(renamed.id, { login: newLogin });
    emu.state.updateUser(disabled.id, { enabled: false });
    emu.state.deleteUser(deleted.id);
    emu.state.updateUser(retitled.id, { jobTitle: 'Chief Delta Officer' });
    const r = await round(deltaLink);
    const byId = new Map(r.pages.flat().map((e) => [e.id, e]));
    expect([...byId.keys()].sort()).toEqual([created.id, renamed.id, disabled.id, deleted.id, retitled.id].sort());
    expect(byId.get(created.id)).toMatchObject({ userPrincipalName: created.login, accountEnabled: true });
    expect(byId.get(renamed.id)).toMatchObject({ userPrincipalName: newLogin });
    expect(byId.get(disabled.id)).toMatchObject({ accountEnabled: false });
    expect(byId.get(deleted.id)).toEqual({ id: deleted.id, '@removed': { reason: 'changed' } });
    expect(byId.get(retitled.id)).toMatchObject({ jobTitle: 'Chief Delta Officer' });
    const quiet = await round(r.deltaLink);
    expect(quiet.pages.flat()).toEqual([]);
    deltaLink = quiet.deltaLink;
  });

  test('$select limits tracking; Prefer: return=minimal sends only changed properties', async () => {
    const narrow = await round('/users/delta?$select=displayName');
    const [a, b] = [...emu.state.users.values()].slice(30, 32) as [LiveUser, LiveUser];
    emu.state.updateUser(a.id, { jobTitle: 'Untracked Title' });
    emu.state.updateUser(b.id, { displayName: 'Tracked Name' });
    const next = await round(narrow.deltaLink);
    expect(next.pages.flat().map((e) => e.id)).toEqual([b.id]);
    expect(next.pages.flat()[0]).toEqual({ id: b.id, displayName: 'Tracked Name' });

    // The deltaLink tracks id,userPrincipalName,displayName,accountEnabled,jobTitle: department is not
    // selected, so only the earlier jobTitle change and this displayName change come back.
    emu.state.updateUser(a.id, { department: 'Minimal Dept', displayName: 'Minimal Name' });
    const minimal = await round(deltaLink, { Prefer: 'return=minimal' });
    const entry = minimal.pages.flat().find((e) => e.id === a.id)!;
    expect(entry).toEqual({ id: a.id, jobTitle: 'Untracked Title', displayName: 'Minimal Name' });
  });

  test('$deltatoken=latest starts from now', async () => {
    const latest = (await client.api('/users/delta?$deltatoken=latest').get()) as {
      value: unknown[];
      '@odata.deltaLink': string;
    };
    expect(latest.value).toEqual([]);
    const user = [...emu.state.users.values()][40]!;
    emu.state.updateUser(user.id, { surname: 'Latest' });
    const r = await round(latest['@odata.deltaLink']);
    expect(r.pages.flat().map((e) => e.id)).toEqual([user.id]);
  });
});

describe('groups delta', () => {
  let deltaLink: string;

  test('initial round: members@delta merged across pages equals the tenant; big groups are split', async () => {
    const r = await round('/groups/delta');
    const merged = mergeGroups(r.pages);
    expect(new Set(merged.keys())).toEqual(new Set(emu.state.groups.keys()));
    for (const group of emu.state.groups.values()) {
      const m = merged.get(group.id)!;
      const expected = [...group.userIds, ...group.groupIds, ...emu.nonUserMembers(group.id).map((x) => x.id)].sort();
      expect([...m.added].sort()).toEqual(expected);
      expect(m.props['displayName']).toBe(group.name);
      for (const id of group.userIds) expect(m.types.get(id)).toBe('#microsoft.graph.user');
      for (const x of emu.nonUserMembers(group.id)) expect(m.types.get(x.id)).toBe(`#microsoft.graph.${x.type}`);
    }
    const big = [...emu.state.groups.values()].filter((g) => g.userIds.size > 200);
    expect(big.length).toBeGreaterThan(0);
    for (const g of big) expect(merged.get(g.id)!.pages).toBeGreaterThan(1);
    deltaLink = r.deltaLink;
  });

  test('next round: adds split across pages, removals, new group, deletions with reasons, rename', async () => {
    const groups = [...emu.state.groups.values()];
    const isChild = (id: string): boolean => groups.some((g) => g.groupIds.has(id));
    const target = groups.find((g) => !g.unified && g.userIds.size < 200)!;
    const shrink = groups.find((g) => g !== target && g.userIds.size > 10)!;
    const security = groups.find(
      (g) => !g.unified && g !== target && g !== shrink && !isChild(g.id) && g.groupIds.size === 0,
    )!;
    const unified = groups.find((g) => g.unified && g !== target && g !== shrink && !isChild(g.id))!;
    const renamed = groups.find((g) => ![target, shrink, security, unified].includes(g) && g.userIds.size > 0)!;
    const leaver = [...renamed.userIds][0]!;
    const newcomers = [...emu.state.users.values()]
      .filter((u) => !target.userIds.has(u.id) && u.id !== leaver)
      .slice(0, 250);
    for (const u of newcomers) emu.state.addMember(target.id, u.id);
    const removed = [...shrink.userIds].slice(0, 3);
    for (const id of removed) emu.state.removeMember(shrink.id, id);
    emu.state.createGroup({
      id: '0e0e0e0e-0000-4000-8000-000000000002',
      name: 'Delta Newcomers',
      description: '',
      mailNickname: 'delta-newcomers',
      kind: 'team',
      securityEnabled: true,
      mailEnabled: false,
      unified: false,
    });
    emu.state.addMember('0e0e0e0e-0000-4000-8000-000000000002', newcomers[0]!.id);
    emu.state.addMember('0e0e0e0e-0000-4000-8000-000000000002', newcomers[1]!.id);
    emu.state.deleteGroup(security.id);
    emu.state.deleteGroup(unified.id);
    emu.state.updateGroup(renamed.id, { name: 'Renamed In Delta' });
    const leaverGroups = emu.state.groupsOfUser(leaver).map((g) => g.id);
    emu.state.deleteUser(leaver);

    const r = await round(deltaLink);
    const merged = mergeGroups(r.pages);
    const expectedIds = new Set([
      target.id,
      shrink.id,
      '0e0e0e0e-0000-4000-8000-000000000002',
      security.id,
      unified.id,
      renamed.id,
      ...leaverGroups,
    ]);
    expect(new Set(merged.keys())).toEqual(expectedIds);
    const t = merged.get(target.id)!;
    expect([...t.added].sort()).toEqual(newcomers.map((u) => u.id).sort());
    expect(t.pages).toBeGreaterThan(1); // 250 member entries > 200 per page: the group is split
    expect([...merged.get(shrink.id)!.removedMembers.keys()].sort()).toEqual(
      leaverGroups.includes(shrink.id) ? [...removed, leaver].sort() : [...removed].sort(),
    );
    expect([...merged.get(shrink.id)!.removedMembers.values()].every((reason) => reason === 'deleted')).toBe(true);
    expect([...merged.get('0e0e0e0e-0000-4000-8000-000000000002')!.added].sort()).toEqual(
      [newcomers[0]!.id, newcomers[1]!.id].sort(),
    );
    expect(merged.get(security.id)!.removed).toBe('deleted');
    expect(merged.get(unified.id)!.removed).toBe('changed');
    expect(merged.get(renamed.id)!.props['displayName']).toBe('Renamed In Delta');
    for (const id of leaverGroups) expect(merged.get(id)!.removedMembers.get(leaver)).toBe('deleted');
    deltaLink = r.deltaLink;
  });

  test('410 Gone with Location after forceResync (control API) and after invalidation', async () => {
    const token = await accessToken(emu);
    const fault = await raw(emu, '/_emulator/faults', {
      method: 'POST',
      headers: { Authorization: `Bearer ${emu.controlToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ forceResync: true }),
    });
    expect(fault.status).toBe(200);
    const gone = await raw(emu, deltaLink, { token });
    expect(gone.status).toBe(410);
    expect(graphError(gone.json).code).toBe('syncStateNotFound');
    const location = gone.headers.get('location')!;
    expect(location).toBe(`${emu.graphBaseUrl}/v1.0/groups/delta`);
    expect(emu.faults.settings.forceResync).toBe(false); // consumed
    const restart = await round(location);
    expect(mergeGroups(restart.pages).size).toBe(emu.state.groups.size);

    emu.invalidateDeltaTokens();
    await expect(client.api(restart.deltaLink).get()).rejects.toMatchObject({ statusCode: 410 });
    const garbage = await raw(emu, '/v1.0/users/delta?$deltatoken=not-a-token', { token });
    expect(garbage.status).toBe(400);
  });

  test('$select=displayName without members: membership changes are not tracked', async () => {
    const r = await round('/groups/delta?$select=displayName');
    expect(r.pages.flat().every((e) => e['members@delta'] === undefined)).toBe(true);
    const g = [...emu.state.groups.values()].find((x) => x.userIds.size > 0)!;
    emu.state.removeMember(g.id, [...g.userIds][0]!);
    expect((await round(r.deltaLink)).pages.flat()).toEqual([]);
  });
});
