import { connectorTest, storePicture } from '../connector-harness';
import { gid, google, startEmulator, tenantPicture } from './subject';

/** Google listings through the real sync engine: what the Directory API lists and how it is mapped and paged. */
const t = connectorTest(google);

test('suspended and archived users are inactive, CUSTOMER is expanded, outside addresses are not users, nesting is kept', async () => {
  const h = await t.harness();
  expect((await h.full()).status).toBe('succeeded');
  const emu = t.emu;

  const picture = storePicture(await h.state());
  // Suspended and archived users are inactive users.
  const disabled = [...emu.directory.users.values()].filter((r) => !r.external && (r.suspended || r.archived));
  expect(disabled.some((r) => r.suspended)).toBe(true);
  expect(disabled.some((r) => r.archived)).toBe(true);
  for (const r of disabled) expect(picture.users.get(r.googleId)?.active).toBe(false);
  // "All Staff" has a CUSTOMER member: every domain user is in it, the suspended ones too.
  expect(emu.customerMemberGroupId).not.toBeNull();
  const allStaff = gid(emu, emu.customerMemberGroupId!);
  for (const id of picture.users.keys()) expect(picture.userMemberships.has(`${id}>${allStaff}`)).toBe(true);
  // Tenant guests are outside addresses in Google: group members, never users.
  const externals = [...emu.directory.users.values()].filter((r) => r.external);
  expect(externals.length).toBeGreaterThan(0);
  for (const r of externals) expect(picture.users.has(r.googleId)).toBe(false);
  // Nesting is kept.
  expect(picture.groupMemberships.size).toBeGreaterThan(0);
});

test('every page size is the documented maximum: users 500, groups and members 200', async () => {
  const own = await startEmulator({
    tenant: { seed: 'google-paging', users: 1_200, groups: 230, domain: 'paging.test' },
  });
  const mine = await t.harness({}, own);
  try {
    const before = own.stats.apiRequests;
    expect((await mine.full()).status).toBe('succeeded');
    await t.expectStoreEqualsTenant(mine, own);
    // users: ceil(domain users / 500) pages; groups: 2 pages; members: one page per 200 direct entries, at least one per group.
    const domainUsers = [...own.directory.users.values()].filter((r) => !r.external).length;
    let memberPages = 0;
    for (const g of own.directory.groups.values()) {
      const entries = g.live.userIds.size + g.live.groupIds.size + (g.customerMember ? 1 : 0);
      memberPages += Math.max(1, Math.ceil(entries / 200));
    }
    const expected = Math.ceil(domainUsers / 500) + Math.ceil(own.directory.groups.size / 200) + memberPages;
    expect(own.stats.apiRequests - before).toBe(expected);
    expect(mine.provider.usage.requests).toBe(expected);
  } finally {
    await own.close();
  }
});

test('nestedGroups: flatten gives every user the groups of its groups, and no group links', async () => {
  const h = await t.harness({ sync: { nestedGroups: 'flatten' } });
  expect((await h.full()).status).toBe('succeeded');
  const picture = storePicture(await h.state());
  const expected = tenantPicture(t.emu);
  expect(picture.groupMemberships.size).toBe(0);
  // Transitive closure of the expected direct picture.
  const parents = new Map<string, string[]>();
  for (const link of expected.groupMemberships) {
    const [child, parent] = link.split('>') as [string, string];
    parents.set(child, [...(parents.get(child) ?? []), parent]);
  }
  const flattened = new Set<string>();
  for (const link of expected.userMemberships) {
    const [user, group] = link.split('>') as [string, string];
    const stack = [group];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const g = stack.pop()!;
      if (seen.has(g)) continue;
      seen.add(g);
      flattened.add(`${user}>${g}`);
      stack.push(...(parents.get(g) ?? []));
    }
  }
  expect([...picture.userMemberships].sort()).toEqual([...flattened].sort());
});

test('username from an attribute: the custom schema field, an alias; orgUnits limits the users and their memberships', async () => {
  const h = await t.harness({
    settings: { orgUnits: ['/IT', '/Sales/'] },
    sync: {
      username: { source: 'customSchemas.OnPremises.samAccountName', stripDomain: false, lowercase: true, replace: [] },
    },
  });
  expect((await h.full()).status).toBe('succeeded');
  const picture = storePicture(await h.state());
  const expected = tenantPicture(t.emu);
  const inUnits = [...expected.users].filter(
    ([, u]) => u.attributes['orgUnitPath'] === '/IT' || u.attributes['orgUnitPath'] === '/Sales',
  );
  const withName = inUnits.filter(([, u]) => u.attributes['customSchemas.OnPremises.samAccountName']);
  expect(withName.length).toBeGreaterThan(0);
  expect(picture.users.size).toBe(withName.length);
  for (const [id, u] of withName)
    expect(picture.users.get(id)?.name).toBe(u.attributes['customSchemas.OnPremises.samAccountName']!.toLowerCase());
  for (const link of picture.userMemberships) expect(picture.users.has(link.split('>')[0]!)).toBe(true);
});

test('the directory scope: customerId lists the account, domain alone lists that domain', async () => {
  const { customerId, domain } = t.emu;
  for (const settings of [
    { customerId, domain: undefined },
    { customerId: undefined, domain },
    { customerId: 'my_customer', domain: undefined },
  ]) {
    const mine = await t.harness({ settings });
    const run = await mine.full();
    expect(run.error).toBeNull();
    await t.expectStoreEqualsTenant(mine);
  }
});

test('a group deleted between groups.list and members.list has no members (the run does not fail)', async () => {
  const p = t.provider();
  for await (const _ of p.users()) void _;
  for await (const _ of p.groups()) void _;
  // members.list of a group that no longer exists answers 404: no members, no failure.
  const out = [];
  for await (const m of p.members({ id: '0123456789abcdef', name: 'Deleted meanwhile', description: '' })) out.push(m);
  expect(out).toEqual([]);
});
