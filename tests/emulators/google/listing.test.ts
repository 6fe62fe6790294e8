import type { admin_directory_v1 } from 'googleapis';
import type { RunningGoogleEmulator } from '../../../src/emulators/google';
import { generateTenant, type Tenant, type TenantUser } from '../../../src/emulators/tenant';
import { adminClient, allGroups, allMembers, allUsers, startEmulator, type Admin } from './helpers';
import { expectValid } from './schemas';

/**
 * Full listings through the official client, compared with the tenant they project: every user
 * at maxResults 500, every group at 200, every group's members at 200, to the last page.
 */

const SPEC = { seed: 'google-listing', users: 2400, groups: 240 };
let tenant: Tenant;
let emu: RunningGoogleEmulator;
let admin: Admin;
let users: admin_directory_v1.Schema$User[];
let groups: admin_directory_v1.Schema$Group[];

beforeAll(async () => {
  tenant = generateTenant(SPEC);
  emu = await startEmulator({ tenant });
  admin = adminClient(emu);
});
afterAll(() => emu.close());

const domainUsers = (): TenantUser[] => tenant.users.filter((u) => !u.guest);

test('users.list pages every domain user at maxResults 500, guests excluded', async () => {
  const result = await allUsers(admin);
  users = result.items;
  const expected = domainUsers();
  expect(result.pages).toBe(Math.ceil(expected.length / 500));
  expect(users).toHaveLength(expected.length);
  expect(new Set(users.map((u) => u.primaryEmail))).toEqual(new Set(expected.map((u) => u.login.toLowerCase())));
  // Sorted by email, ids unique 21-digit strings.
  const emails = users.map((u) => u.primaryEmail as string);
  expect([...emails].sort()).toEqual(emails);
  expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
  for (const u of users) expect(u.id).toMatch(/^1\d{20}$/);
  expect(emu.stats.apiSucceeded).toBeGreaterThanOrEqual(result.pages);
});

test('user fields project the tenant user', () => {
  const byEmail = new Map(users.map((u) => [u.primaryEmail, u]));
  let archived = 0;
  let suspended = 0;
  for (const t of domainUsers()) {
    const u = byEmail.get(t.login.toLowerCase());
    expect(u).toBeDefined();
    if (u === undefined) continue;
    expect(u.name?.givenName).toBe(t.givenName);
    expect(u.name?.familyName).toBe(t.surname);
    expect(u.name?.fullName).toBe(`${t.givenName} ${t.surname}`);
    expect(u.orgUnitPath).toBe(`/${t.department}`);
    expect(u.creationTime).toBe(t.createdAt.toISOString());
    expect(u.customerId).toBe(emu.customerId);
    expect(u.isAdmin).toBe(u.primaryEmail === emu.adminEmail);
    // Disabled → suspended or (a deterministic fifth) archived; never both.
    expect(Boolean(u.suspended) || Boolean(u.archived)).toBe(!t.enabled);
    expect(Boolean(u.suspended) && Boolean(u.archived)).toBe(false);
    if (u.archived) archived++;
    if (u.suspended) suspended++;
    expect(u.emails).toEqual(expect.arrayContaining([{ address: u.primaryEmail, primary: true }]));
    expect(u.customSchemas).toBeUndefined(); // basic projection
  }
  expect(archived).toBeGreaterThan(0);
  expect(suspended).toBeGreaterThan(archived);
  expect(users.filter((u) => u.isAdmin)).toHaveLength(1);
  for (const u of users.slice(0, 50)) expectValid('user', u);
});

test('groups.list pages every group at maxResults 200', async () => {
  const result = await allGroups(admin);
  groups = result.items;
  expect(result.pages).toBe(Math.ceil(tenant.groups.length / 200));
  expect(new Set(groups.map((g) => g.email))).toEqual(
    new Set(tenant.groups.map((g) => `${g.mailNickname}@${tenant.spec.domain}`.toLowerCase())),
  );
  const byEmail = new Map(groups.map((g) => [g.email, g]));
  for (const t of tenant.groups) {
    const g = byEmail.get(`${t.mailNickname}@${tenant.spec.domain}`.toLowerCase());
    expect(g?.name).toBe(t.name);
    expect(g?.description).toBe(t.description);
    const customer = t.id === emu.customerMemberGroupId ? 1 : 0;
    expect(g?.directMembersCount).toBe(String(t.memberUserIds.length + t.memberGroupIds.length + customer));
  }
  for (const g of groups) expectValid('group', g);
});

test("every group's members, paged at 200, are the tenant's direct members", async () => {
  const userById = new Map(tenant.users.map((u) => [u.id, u]));
  const groupById = new Map(tenant.groups.map((g) => [g.id, g]));
  const groupByEmail = new Map(groups.map((g) => [g.email, g]));
  let pagesTotal = 0;
  let externals = 0;
  for (const t of tenant.groups) {
    const g = groupByEmail.get(`${t.mailNickname}@${tenant.spec.domain}`.toLowerCase());
    const { items, pages } = await allMembers(admin, g?.id as string);
    pagesTotal += pages;
    const expectedUsers = t.memberUserIds.map((id) => {
      const u = userById.get(id) as TenantUser;
      return (u.guest ? u.mail : u.login).toLowerCase();
    });
    const expectedGroups = t.memberGroupIds.map((id) => {
      const child = groupById.get(id);
      return `${child?.mailNickname}@${tenant.spec.domain}`.toLowerCase();
    });
    expect(
      items
        .filter((m) => m.type === 'USER')
        .map((m) => m.email)
        .sort(),
    ).toEqual(expectedUsers.sort());
    expect(
      items
        .filter((m) => m.type === 'GROUP')
        .map((m) => m.email)
        .sort(),
    ).toEqual(expectedGroups.sort());
    const customers = items.filter((m) => m.type === 'CUSTOMER');
    expect(customers).toHaveLength(t.id === emu.customerMemberGroupId ? 1 : 0);
    expect(pages).toBe(Math.max(1, Math.ceil(items.length / 200)));
    externals += t.memberUserIds.filter((id) => userById.get(id)?.guest).length;
    for (const m of items.slice(0, 5)) expectValid('member', m);
  }
  expect(externals).toBeGreaterThan(0);
  expect(pagesTotal).toBeGreaterThan(tenant.groups.length);
});

test('the "All Staff" group has a CUSTOMER member: id = customer id, no email', async () => {
  const allStaff = tenant.groups.find((g) => g.kind === 'all-staff');
  expect(emu.customerMemberGroupId).toBe(allStaff?.id);
  const email = `${allStaff?.mailNickname}@${tenant.spec.domain}`;
  const first = await admin.members.list({ groupKey: email, maxResults: 1 });
  const customer = first.data.members?.[0];
  expect(customer).toEqual({
    kind: 'admin#directory#member',
    etag: expect.any(String),
    id: emu.customerId,
    role: 'MEMBER',
    type: 'CUSTOMER',
    status: 'ACTIVE',
  });
  expectValid('member', customer);
});
