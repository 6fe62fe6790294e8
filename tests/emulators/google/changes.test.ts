import type { RunningGoogleEmulator } from '../../../src/emulators/google';
import { TENANT_EPOCH } from '../../../src/emulators/tenant';
import { adminClient, allGroups, allMembers, allUsers, startEmulator, type Admin } from './helpers';

/** Changes made through TenantState (in-process) or the control API show in listings, with new etags. */

let emu: RunningGoogleEmulator;
let admin: Admin;

beforeAll(async () => {
  emu = await startEmulator({ tenant: { seed: 'google-changes', users: 800, groups: 60 } });
  admin = adminClient(emu);
});
afterAll(() => emu.close());

const newUser = (id: string, local: string) => ({
  id,
  givenName: 'Zoë',
  surname: 'Newcomer',
  displayName: 'Zoë Newcomer',
  login: `${local}@${emu.domain}`,
  mail: `${local}@${emu.domain}`,
  mailNickname: local,
  samAccountName: null,
  department: 'Research',
  jobTitle: 'Research Scientist',
  employeeId: '999001',
  enabled: true,
  guest: false,
  createdAt: new Date(TENANT_EPOCH + 86_400_000),
});

test('created, updated and deleted users show in users.list; etag changes; showDeleted lists the deleted', async () => {
  const before = await allUsers(admin);
  emu.state.createUser(newUser('7e57c0de-0000-4000-8000-000000000001', 'zoe.newcomer'));
  const victim = before.items.find(
    (u) => !u.isAdmin && u.primaryEmail !== emu.nonAdminEmail,
  ) as (typeof before.items)[number];
  const victimId = emu.directory.findUser(victim.primaryEmail as string)?.tenantId as string;
  const renamed = before.items.find((u) => u !== victim && !u.isAdmin) as (typeof before.items)[number];
  const renamedId = emu.directory.findUser(renamed.primaryEmail as string)?.tenantId as string;
  emu.state.updateUser(renamedId, { surname: 'Renamed', enabled: false });
  emu.state.deleteUser(victimId);

  const after = await allUsers(admin);
  const emails = after.items.map((u) => u.primaryEmail);
  expect(after.items).toHaveLength(before.items.length);
  expect(emails).toContain(`zoe.newcomer@${emu.domain}`);
  expect(emails).not.toContain(victim.primaryEmail);
  const updated = after.items.find((u) => u.id === renamed.id);
  expect(updated?.name?.familyName).toBe('Renamed');
  expect(updated?.suspended || updated?.archived).toBe(true);
  expect(updated?.etag).not.toBe(renamed.etag);
  const untouched = after.items.find((u) => u.primaryEmail === before.items[0]?.primaryEmail && u.id !== renamed.id);
  if (untouched) expect(untouched.etag).toBe(before.items[0]?.etag);

  const deleted = await allUsers(admin, { showDeleted: 'true' });
  expect(deleted.items.map((u) => u.primaryEmail)).toEqual([victim.primaryEmail]);
  expect(deleted.items[0]?.deletionTime).toBeDefined();
  const gone = await admin.users.get({ userKey: victim.id as string }).catch((e: { status: number }) => e.status);
  expect(gone).toBe(404);
});

test('group and membership changes show in groups.list and members.list', async () => {
  const groups = await allGroups(admin);
  const target = groups.items.find((g) => Number(g.directMembersCount) > 3) as (typeof groups.items)[number];
  const targetId = emu.directory.findGroup(target.email as string)?.tenantId as string;
  const membersBefore = await allMembers(admin, target.email as string);
  const outsider = [...emu.state.users.values()].find(
    (u) => !u.guest && !emu.state.groups.get(targetId)?.userIds.has(u.id),
  );
  const leaving = [...(emu.state.groups.get(targetId)?.userIds ?? [])][0] as string;

  emu.state.addMember(targetId, outsider?.id as string);
  emu.state.removeMember(targetId, leaving);
  emu.state.updateGroup(targetId, { name: 'Renamed Group', description: 'changed' });
  emu.state.createGroup({
    id: '7e57c0de-0000-4000-8000-0000000000a1',
    name: 'Brand New',
    description: '',
    mailNickname: 'brand-new',
    kind: 'team',
    securityEnabled: true,
    mailEnabled: false,
    unified: false,
  });

  const after = await allGroups(admin);
  expect(after.items).toHaveLength(groups.items.length + 1);
  expect(after.items.map((g) => g.email)).toContain(`brand-new@${emu.domain}`);
  const changed = after.items.find((g) => g.id === target.id);
  expect(changed).toMatchObject({
    name: 'Renamed Group',
    description: 'changed',
    directMembersCount: target.directMembersCount,
  });
  expect(changed?.etag).not.toBe(target.etag);

  const membersAfter = await allMembers(admin, target.email as string);
  const emailsAfter = membersAfter.items.map((m) => m.email);
  expect(emailsAfter).toContain(outsider?.login.toLowerCase());
  expect(emailsAfter).not.toContain(emu.directory.users.get(leaving)?.email);
  expect(membersAfter.items).toHaveLength(membersBefore.items.length);

  emu.state.deleteGroup(targetId);
  const final = await allGroups(admin);
  expect(final.items.map((g) => g.id)).not.toContain(target.id);
});

test('changes through the control API show too', async () => {
  const groupId = [...emu.state.groups.keys()][0] as string;
  const userId = [...emu.state.users.values()].find(
    (u) => !u.guest && !emu.state.groups.get(groupId)?.userIds.has(u.id),
  )?.id as string;
  const res = await fetch(`${emu.url}/_emulator/changes`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${emu.controlToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify([
      { op: 'addMember', groupId, memberId: userId },
      { op: 'updateUser', id: userId, patch: { givenName: 'Controlled' } },
    ]),
  });
  expect(res.status).toBe(200);
  const email = emu.directory.users.get(userId)?.email as string;
  const user = await admin.users.get({ userKey: email });
  expect(user.data.name?.givenName).toBe('Controlled');
  const groups = await allGroups(admin, { customer: undefined, userKey: email });
  expect(groups.items.map((g) => g.id)).toContain(emu.directory.groups.get(groupId)?.googleId);
});

test('paging survives changes between pages: nothing that stayed is skipped or repeated', async () => {
  const first = await admin.users.list({ customer: 'my_customer', maxResults: 100 });
  const seen = (first.data.users ?? []).map((u) => u.primaryEmail as string);
  const lastSeen = seen[seen.length - 1] as string;
  // Delete a user already served and add one that sorts before the cursor: positions shift by one.
  const servedId = emu.directory.findUser(seen[10] as string)?.tenantId as string;
  emu.state.deleteUser(servedId);
  emu.state.createUser(newUser('7e57c0de-0000-4000-8000-000000000002', 'aaaa.first'));
  let pageToken = first.data.nextPageToken ?? undefined;
  while (pageToken !== undefined) {
    const page = await admin.users.list({ customer: 'my_customer', maxResults: 100, pageToken });
    seen.push(...(page.data.users ?? []).map((u) => u.primaryEmail as string));
    pageToken = page.data.nextPageToken ?? undefined;
  }
  const now = emu.directory.userList('email', false).items.map((r) => r.email);
  const expected = [...seen.slice(0, 100), ...now.filter((e) => e > lastSeen)];
  expect(seen).toEqual(expected);
  expect(new Set(seen).size).toBe(seen.length);
});
