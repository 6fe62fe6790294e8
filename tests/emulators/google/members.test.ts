import type { RunningGoogleEmulator } from '../../../src/emulators/google';
import { generateTenant, type Tenant, type TenantGroup } from '../../../src/emulators/tenant';
import { adminClient, allGroups, allMembers, caught, firstReason, startEmulator, type Admin } from './helpers';
import { expectValid } from './schemas';

/** members.list variants, members.get / hasMember and groups.list?userKey through the official client. */

let tenant: Tenant;
let emu: RunningGoogleEmulator;
let admin: Admin;

beforeAll(async () => {
  tenant = generateTenant({ seed: 'google-members', users: 900, groups: 120 });
  emu = await startEmulator({ tenant });
  admin = adminClient(emu);
});
afterAll(() => emu.close());

const emailOf = (g: TenantGroup): string => `${g.mailNickname}@${tenant.spec.domain}`.toLowerCase();
const byId = (): Map<string, TenantGroup> => new Map(tenant.groups.map((g) => [g.id, g]));

/** Every person (login for members, home mail for guests) in the group or any descendant. */
function closureEmails(group: TenantGroup): Set<string> {
  const groups = byId();
  const users = new Map(tenant.users.map((u) => [u.id, u]));
  const out = new Set<string>();
  const stack = [group];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const g = stack.pop() as TenantGroup;
    if (seen.has(g.id)) continue;
    seen.add(g.id);
    for (const id of g.memberUserIds) {
      const u = users.get(id);
      if (u) out.add((u.guest ? u.mail : u.login).toLowerCase());
    }
    for (const id of g.memberGroupIds) stack.push(groups.get(id) as TenantGroup);
  }
  return out;
}

test('includeDerivedMembership flattens nested groups to users, each once', async () => {
  const nested = tenant.groups.filter((g) => g.memberGroupIds.length > 0 && g.kind !== 'all-staff');
  expect(nested.length).toBeGreaterThan(2);
  let grew = 0;
  for (const group of nested.slice(0, 8)) {
    const direct = await allMembers(admin, emailOf(group));
    const derived = await allMembers(admin, emailOf(group), { includeDerivedMembership: true });
    expect(direct.items.some((m) => m.type === 'GROUP')).toBe(true);
    expect(derived.items.every((m) => m.type === 'USER')).toBe(true);
    const emails = derived.items.map((m) => m.email as string);
    expect(new Set(emails).size).toBe(emails.length);
    expect(new Set(emails)).toEqual(closureEmails(group));
    const directUsers = direct.items.filter((m) => m.type === 'USER').map((m) => m.email as string);
    expect(emails).toEqual(expect.arrayContaining(directUsers));
    if (emails.length > directUsers.length) grew++;
    for (const m of derived.items.slice(0, 3)) expectValid('member', m);
  }
  expect(grew).toBeGreaterThan(0);
});

test('roles filters OWNER / MANAGER / MEMBER and the filtered lists partition the members', async () => {
  const group = [...tenant.groups].sort((a, b) => b.memberUserIds.length - a.memberUserIds.length)[1] as TenantGroup;
  const all = await allMembers(admin, emailOf(group));
  const owners = await allMembers(admin, emailOf(group), { roles: 'OWNER' });
  const managers = await allMembers(admin, emailOf(group), { roles: 'MANAGER' });
  const members = await allMembers(admin, emailOf(group), { roles: 'MEMBER' });
  const ownersOrManagers = await allMembers(admin, emailOf(group), { roles: 'OWNER,MANAGER' });
  expect(owners.items.length).toBeGreaterThan(0);
  expect(managers.items.length).toBeGreaterThan(0);
  expect(owners.items.every((m) => m.role === 'OWNER')).toBe(true);
  expect(managers.items.every((m) => m.role === 'MANAGER')).toBe(true);
  expect(members.items.every((m) => m.role === 'MEMBER')).toBe(true);
  expect(owners.items.length + managers.items.length + members.items.length).toBe(all.items.length);
  expect(ownersOrManagers.items.length).toBe(owners.items.length + managers.items.length);
  const bad = await caught(admin.members.list({ groupKey: emailOf(group), roles: 'BOSS' }));
  expect(bad.status).toBe(400);
});

test('CUSTOMER member: listed first in All Staff, counts in directMembersCount, can be removed', async () => {
  const allStaff = tenant.groups.find((g) => g.kind === 'all-staff') as TenantGroup;
  const res = await admin.groups.get({ groupKey: emailOf(allStaff) });
  expect(res.data.directMembersCount).toBe(String(allStaff.memberUserIds.length + 1));
  const page = await admin.members.list({ groupKey: emailOf(allStaff), maxResults: 2 });
  expect(page.data.members?.[0]).toMatchObject({ type: 'CUSTOMER', id: emu.customerId, role: 'MEMBER' });
  expect(page.data.members?.[0]?.email).toBeUndefined();
  // members.get by customer id, and the derived listing keeps the CUSTOMER entry.
  const got = await admin.members.get({ groupKey: emailOf(allStaff), memberKey: emu.customerId });
  expect(got.data.type).toBe('CUSTOMER');
  const derived = await admin.members.list({
    groupKey: emailOf(allStaff),
    includeDerivedMembership: true,
    maxResults: 1,
  });
  expect(derived.data.members?.[0]?.type).toBe('CUSTOMER');
  // Another group gets one on demand.
  const other = tenant.groups.find((g) => g.kind === 'team') as TenantGroup;
  emu.setCustomerMember(other.id, true);
  const after = await allMembers(admin, emailOf(other));
  expect(after.items.filter((m) => m.type === 'CUSTOMER')).toHaveLength(1);
  emu.setCustomerMember(other.id, false);
  const reverted = await allMembers(admin, emailOf(other));
  expect(reverted.items.filter((m) => m.type === 'CUSTOMER')).toHaveLength(0);
});

test('external (guest) members are USER members with their home address, not domain users', async () => {
  const guest = tenant.users.find((u) => u.guest && tenant.groups.some((g) => g.memberUserIds.includes(u.id)));
  expect(guest).toBeDefined();
  const group = tenant.groups.find((g) => g.memberUserIds.includes(guest?.id as string)) as TenantGroup;
  const { items } = await allMembers(admin, emailOf(group));
  const member = items.find((m) => m.email === guest?.mail.toLowerCase());
  expect(member).toMatchObject({ type: 'USER', status: 'ACTIVE' });
  const notAUser = await caught(admin.users.get({ userKey: guest?.mail as string }));
  expect(notAUser.status).toBe(404);
  expect(firstReason(notAUser.data)).toMatchObject({ reason: 'notFound', message: 'Resource Not Found: userKey' });
});

test('members.list entries equal members.get of the same member (list fast path = typed path)', async () => {
  const allStaff = tenant.groups.find((g) => g.kind === 'all-staff') as TenantGroup;
  const guests = tenant.groups.find((g) => g.kind === 'guests') as TenantGroup;
  const nested = tenant.groups.find((g) => g.memberGroupIds.length > 0) as TenantGroup;
  for (const group of [allStaff, guests, nested]) {
    const { items } = await allMembers(admin, emailOf(group));
    const sample = [
      ...items.slice(0, 12),
      ...items.filter((m) => m.role !== 'MEMBER' || m.status !== 'ACTIVE' || m.type !== 'USER').slice(0, 12),
    ];
    for (const m of sample) {
      const got = await admin.members.get({ groupKey: emailOf(group), memberKey: m.id as string });
      expect(got.data).toEqual(m);
    }
  }
});

test('members.get and hasMember (direct and nested)', async () => {
  // A user who is in a child group but not directly in its parent.
  const groups = byId();
  const triple = tenant.groups
    .flatMap((parent) => parent.memberGroupIds.map((id) => ({ parent, child: groups.get(id) as TenantGroup })))
    .map(({ parent, child }) => ({
      parent,
      child,
      user: tenant.users.find(
        (u) => child.memberUserIds.includes(u.id) && !u.guest && !parent.memberUserIds.includes(u.id),
      ),
    }))
    .find((t) => t.user !== undefined);
  expect(triple).toBeDefined();
  const { parent, child, user: childMember } = triple as NonNullable<typeof triple>;
  const login = childMember?.login.toLowerCase() as string;
  const asGroup = await admin.members.get({ groupKey: emailOf(parent), memberKey: emailOf(child) });
  expect(asGroup.data).toMatchObject({ type: 'GROUP', email: emailOf(child), role: 'MEMBER' });
  const nested = await admin.members.hasMember({ groupKey: emailOf(parent), memberKey: login });
  expect(nested.data.isMember).toBe(true);
  const notDirect = await caught(admin.members.get({ groupKey: emailOf(parent), memberKey: login }));
  expect(notDirect.status).toBe(404);
  expect(firstReason(notDirect.data).message).toBe('Resource Not Found: memberKey');
  const lonely = tenant.users.find((u) => !u.guest && !tenant.groups.some((g) => g.memberUserIds.includes(u.id)));
  if (lonely) {
    const no = await admin.members.hasMember({ groupKey: emailOf(parent), memberKey: lonely.login });
    expect(no.data.isMember).toBe(false);
  }
});

test("groups.list?userKey lists a user's direct groups (by email or by id)", async () => {
  const user = tenant.users.find(
    (u) => !u.guest && tenant.groups.filter((g) => g.memberUserIds.includes(u.id)).length >= 3,
  );
  expect(user).toBeDefined();
  const expected = tenant.groups
    .filter((g) => g.memberUserIds.includes(user?.id as string))
    .map(emailOf)
    .sort();
  const byEmail = await allGroups(admin, { customer: undefined, userKey: user?.login as string, maxResults: 2 });
  expect(byEmail.items.map((g) => g.email)).toEqual(expected);
  expect(byEmail.pages).toBe(Math.ceil(expected.length / 2));
  const id = (await admin.users.get({ userKey: user?.login as string })).data.id as string;
  const byId = await allGroups(admin, { customer: undefined, userKey: id });
  expect(byId.items.map((g) => g.email)).toEqual(expected);
  const unknown = await admin.groups.list({ userKey: `nobody@${tenant.spec.domain}` });
  expect(unknown.data.groups).toBeUndefined();
});
