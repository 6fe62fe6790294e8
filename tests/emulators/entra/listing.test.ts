import { PageIterator, type Client } from '@microsoft/microsoft-graph-client';
import type { RunningEntraEmulator } from '../../../src/emulators/entra';
import { accessToken, closeAll, graphClient, graphError, raw, startSmall } from './helpers';

/** Listings through the official Graph client (PageIterator over absolute https nextLinks). */
let emu: RunningEntraEmulator;
let client: Client;
let token: string;
beforeAll(async () => {
  emu = await startSmall();
  client = graphClient(emu);
  token = await accessToken(emu);
});
afterAll(() => closeAll(emu));

interface Obj {
  id: string;
  '@odata.type'?: string;
  [key: string]: unknown;
}

async function all(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ items: Obj[]; pages: number; first: Record<string, unknown> }> {
  const first = (await client.api(path).headers(headers).get()) as Record<string, unknown>;
  const items: Obj[] = [];
  let pages = 1;
  const iterator = new PageIterator(
    client,
    first as never,
    (item: Obj) => {
      items.push(item);
      return true;
    },
    { headers },
  );
  const original = (
    iterator as unknown as { fetchAndUpdateNextPageData: () => Promise<void> }
  ).fetchAndUpdateNextPageData.bind(iterator);
  (iterator as unknown as { fetchAndUpdateNextPageData: () => Promise<void> }).fetchAndUpdateNextPageData =
    async () => {
      pages++;
      await original();
    };
  await iterator.iterate();
  return { items, pages, first };
}

test('pages every user at $top=999 with absolute nextLinks; fields map from the tenant', async () => {
  const { items, pages, first } = await all(
    '/users?$top=999&$select=id,userPrincipalName,mail,mailNickname,displayName,givenName,surname,accountEnabled,userType,onPremisesSamAccountName,department,jobTitle,employeeId,createdDateTime',
  );
  expect(pages).toBe(Math.ceil(emu.state.users.size / 999));
  expect(pages).toBeGreaterThan(1);
  expect(items).toHaveLength(emu.state.users.size);
  expect(String(first['@odata.context'])).toMatch(/\/v1\.0\/\$metadata#users$/);
  const byId = new Map(items.map((u) => [u.id, u]));
  for (const user of emu.state.users.values()) {
    const g = byId.get(user.id)!;
    expect(g).toEqual({
      id: user.id,
      userPrincipalName: user.login,
      mail: user.mail || null,
      mailNickname: user.mailNickname,
      displayName: user.displayName,
      givenName: user.givenName,
      surname: user.surname,
      accountEnabled: user.enabled,
      userType: user.guest ? 'Guest' : 'Member',
      onPremisesSamAccountName: user.samAccountName,
      department: user.department || null,
      jobTitle: user.jobTitle || null,
      employeeId: user.employeeId || null,
      createdDateTime: user.createdAt.toISOString().replace('.000Z', 'Z'),
    });
  }
});

test('default page size is 100 and paging is stable: no duplicates, no gaps, id order', async () => {
  const { items, pages } = await all('/users');
  expect(pages).toBe(Math.ceil(emu.state.users.size / 100));
  expect(new Set(items.map((u) => u.id)).size).toBe(emu.state.users.size);
  const ids = items.map((u) => u.id);
  expect(ids).toEqual([...ids].sort());
  // Default property set only (user-list): no accountEnabled without $select.
  expect(Object.keys(items[0]!).sort()).toEqual(
    [
      'businessPhones',
      'displayName',
      'givenName',
      'id',
      'jobTitle',
      'mail',
      'mobilePhone',
      'officeLocation',
      'preferredLanguage',
      'surname',
      'userPrincipalName',
    ].sort(),
  );
});

test('pages every group; Unified groups have groupTypes ["Unified"]', async () => {
  const { items } = await all('/groups?$top=999');
  expect(items).toHaveLength(emu.state.groups.size);
  for (const g of items) {
    const live = emu.state.groups.get(g.id)!;
    expect(g).toMatchObject({
      displayName: live.name,
      description: live.description || null,
      mailNickname: live.mailNickname,
      mailEnabled: live.mailEnabled,
      securityEnabled: live.securityEnabled,
      groupTypes: live.unified ? ['Unified'] : [],
      mail: live.mailEnabled ? `${live.mailNickname}@${emu.tenantDomain}` : null,
    });
  }
});

test('members of every group equal the tenant, typed; contacts and devices appear where planted', async () => {
  let contacts = 0;
  let devices = 0;
  for (const group of emu.state.groups.values()) {
    const { items } = await all(`/groups/${group.id}/members?$top=999`);
    const users = items
      .filter((m) => m['@odata.type'] === '#microsoft.graph.user')
      .map((m) => m.id)
      .sort();
    const groups = items
      .filter((m) => m['@odata.type'] === '#microsoft.graph.group')
      .map((m) => m.id)
      .sort();
    expect(users).toEqual([...group.userIds].sort());
    expect(groups).toEqual([...group.groupIds].sort());
    const others = items.filter(
      (m) => m['@odata.type'] === '#microsoft.graph.orgContact' || m['@odata.type'] === '#microsoft.graph.device',
    );
    expect(others.map((m) => m.id).sort()).toEqual(
      emu
        .nonUserMembers(group.id)
        .map((m) => m.id)
        .sort(),
    );
    expect(items).toHaveLength(users.length + groups.length + others.length);
    for (const o of others) {
      // The default app lacks OrgContact.Read.All / Device.Read.All: only type and id are filled.
      expect(o['displayName']).toBeNull();
      if (o['@odata.type'] === '#microsoft.graph.orgContact') contacts++;
      else devices++;
    }
  }
  expect(contacts).toBeGreaterThan(0);
  expect(devices).toBeGreaterThan(0);
});

test('a large group pages at $top=5 and a type cast keeps only users', async () => {
  const big = [...emu.state.groups.values()].sort((a, b) => b.userIds.size - a.userIds.size)[0]!;
  const { items, pages } = await all(`/groups/${big.id}/members?$top=5&$select=id`);
  expect(pages).toBe(Math.ceil(items.length / 5));
  expect(items.filter((m) => m['@odata.type'] === '#microsoft.graph.user')).toHaveLength(big.userIds.size);
  const cast = await all(`/groups/${big.id}/members/microsoft.graph.user?$top=999`);
  expect(cast.items.map((m) => m.id).sort()).toEqual([...big.userIds].sort());
});

test('transitiveMembers flattens nesting; memberOf lists a user’s direct groups', async () => {
  const parent = [...emu.state.groups.values()].find((g) =>
    [...g.groupIds].some(
      (c) => (emu.state.groups.get(c)?.groupIds.size ?? 0) > 0 || (emu.state.groups.get(c)?.userIds.size ?? 0) > 0,
    ),
  )!;
  const expected = new Set<string>();
  const walk = (id: string): void => {
    const g = emu.state.groups.get(id)!;
    for (const u of g.userIds) expected.add(u);
    for (const x of emu.nonUserMembers(id)) expected.add(x.id);
    for (const c of g.groupIds) {
      if (!expected.has(c)) {
        expected.add(c);
        walk(c);
      }
    }
  };
  walk(parent.id);
  const { items } = await all(`/groups/${parent.id}/transitiveMembers?$top=999&$select=id`);
  expect(items.map((m) => m.id).sort()).toEqual([...expected].sort());

  const user = [...emu.state.users.values()].find((u) => emu.state.groupsOfUser(u.id).length > 2)!;
  const memberOf = await all(`/users/${user.id}/memberOf`);
  expect(memberOf.items.map((g) => g.id).sort()).toEqual(
    emu.state
      .groupsOfUser(user.id)
      .map((g) => g.id)
      .sort(),
  );
  expect(memberOf.items.every((g) => g['@odata.type'] === '#microsoft.graph.group')).toBe(true);
});

test.each([
  ['users', 'accountEnabled eq false', (u: { enabled: boolean }) => !u.enabled],
  ['users', "userType eq 'Guest'", (u: { guest: boolean }) => u.guest],
  ['users', "startswith(displayName,'a')", (u: { displayName: string }) => u.displayName.toLowerCase().startsWith('a')],
] as const)('$filter on %s: %s', async (_collection, filter, predicate) => {
  const { items } = await all(`/users?$top=999&$filter=${encodeURIComponent(filter)}&$select=id`);
  const expected = [...emu.state.users.values()]
    .filter((u) => (predicate as (u: unknown) => boolean)(u))
    .map((u) => u.id)
    .sort();
  expect(expected.length).toBeGreaterThan(0);
  expect(items.map((u) => u.id).sort()).toEqual(expected);
});

test('group filters: securityEnabled, groupTypes/any, id eq', async () => {
  const security = await all(`/groups?$filter=${encodeURIComponent('securityEnabled eq true')}&$top=999&$select=id`);
  expect(security.items.map((g) => g.id).sort()).toEqual(
    [...emu.state.groups.values()]
      .filter((g) => g.securityEnabled)
      .map((g) => g.id)
      .sort(),
  );
  const unified = await all(
    `/groups?$filter=${encodeURIComponent("groupTypes/any(c:c eq 'Unified')")}&$top=999&$select=id,groupTypes`,
  );
  expect(unified.items.length).toBe([...emu.state.groups.values()].filter((g) => g.unified).length);
  expect(unified.items.length).toBeGreaterThan(0);
  const one = [...emu.state.groups.keys()][7]!;
  const byId = await all(`/groups?$filter=${encodeURIComponent(`id eq '${one}'`)}`);
  expect(byId.items.map((g) => g.id)).toEqual([one]);
});

test('$count needs ConsistencyLevel: eventual (Graph error without it)', async () => {
  const counted = await raw(emu, '/v1.0/users?$count=true&$top=1', {
    token,
    headers: { ConsistencyLevel: 'eventual' },
  });
  expect(counted.status).toBe(200);
  expect((counted.json as { '@odata.count': number })['@odata.count']).toBe(emu.state.users.size);
  const text = await raw(emu, `/v1.0/users/$count?$filter=${encodeURIComponent('accountEnabled eq false')}`, {
    token,
    headers: { ConsistencyLevel: 'eventual' },
  });
  expect(text.status).toBe(200);
  expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(Number(text.text)).toBe([...emu.state.users.values()].filter((u) => !u.enabled).length);
  const noHeader = await raw(emu, '/v1.0/users/$count', { token });
  expect(noHeader.status).toBe(400);
  expect(graphError(noHeader.json)).toMatchObject({
    code: 'Request_UnsupportedQuery',
    message: expect.stringContaining("'ConsistencyLevel:eventual' header is missing"),
  });
  const noHeader2 = await raw(emu, '/v1.0/users?$count=true', { token });
  expect(noHeader2.status).toBe(400);
  // Advanced operators need advanced mode.
  const ne = await raw(emu, `/v1.0/users?$filter=${encodeURIComponent("userType ne 'Guest'")}`, { token });
  expect(ne.status).toBe(400);
  expect(graphError(ne.json).code).toBe('Request_UnsupportedQuery');
  const neAdvanced = await raw(
    emu,
    `/v1.0/users?$count=true&$top=999&$select=id&$filter=${encodeURIComponent("userType ne 'Guest'")}`,
    { token, headers: { ConsistencyLevel: 'eventual' } },
  );
  expect((neAdvanced.json as { '@odata.count': number })['@odata.count']).toBe(
    [...emu.state.users.values()].filter((u) => !u.guest).length,
  );
});

test('single user by id and by userPrincipalName; control API changes show in listings', async () => {
  const user = [...emu.state.users.values()][10]!;
  const byUpn = (await client
    .api(`/users/${encodeURIComponent(user.login.toUpperCase())}`)
    .select('id,accountEnabled')
    .get()) as Obj;
  expect(byUpn).toMatchObject({ id: user.id, accountEnabled: user.enabled });
  const control = await raw(emu, '/_emulator/changes', {
    method: 'POST',
    headers: { Authorization: `Bearer ${emu.controlToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify([{ op: 'updateUser', id: user.id, patch: { displayName: 'Renamed Via Control' } }]),
  });
  expect(control.status).toBe(200);
  const again = (await client.api(`/users/${user.id}`).get()) as Obj;
  expect(again['displayName']).toBe('Renamed Via Control');
});
