/**
 * Live changes (in-process through `state`, remotely through the control API) show in listings
 * and lookups through the SDK: timestamps move, incremental filters find exactly the changed
 * objects, statuses follow `enabled`, new and deleted objects appear and disappear.
 */
import { startOktaEmulator, type RunningOktaEmulator } from '../../../src/emulators/okta';
import { collect, getJson, rejection, scrubOktaEnvironment, sswsClient } from './helpers';

jest.setTimeout(60_000);

let emulator: RunningOktaEmulator;

beforeAll(async () => {
  scrubOktaEnvironment();
  emulator = await startOktaEmulator({ tenant: { seed: 'okta-changes', users: 500, groups: 30 } });
});

afterAll(async () => {
  await emulator?.close();
});

const iso = (d: Date) => d.toISOString();

test('a profile change moves lastUpdated and is the only hit of an incremental lastUpdated filter', async () => {
  const client = sswsClient(emulator.url, emulator.apiToken);
  const since = new Date();
  const live = [...emulator.state.users.values()].find((u) => u.enabled && !u.guest)!;
  const id = emulator.directory.oktaUserId(live.id)!;
  await new Promise((resolve) => setTimeout(resolve, 2));
  emulator.state.updateUser(live.id, { surname: 'Changed-Surname', department: 'Legal' });
  const hits = await collect(client.userApi.listUsers({ filter: `lastUpdated gt "${iso(since)}"`, limit: 200 }));
  expect(hits.map((u) => u.id)).toEqual([id]);
  const user = await client.userApi.getUser({ userId: id });
  expect(user.profile!.lastName).toBe('Changed-Surname');
  expect(user.profile!.department).toBe('Legal');
  expect((user.lastUpdated as Date).getTime()).toBeGreaterThan(since.getTime());
  // A no-op patch changes nothing.
  const before = (await client.userApi.getUser({ userId: id })).lastUpdated;
  emulator.state.updateUser(live.id, { surname: 'Changed-Surname' });
  expect((await client.userApi.getUser({ userId: id })).lastUpdated).toEqual(before);
});

test('disabling and re-enabling a user changes its status; DEPROVISIONED users drop out of the default listing', async () => {
  const client = sswsClient(emulator.url, emulator.apiToken);
  const candidates = [...emulator.state.users.values()].filter((u) => u.enabled).slice(0, 10);
  for (const u of candidates) emulator.state.updateUser(u.id, { enabled: false });
  const statuses = await Promise.all(
    candidates.map(
      async (u) => (await client.userApi.getUser({ userId: emulator.directory.oktaUserId(u.id)! })).status,
    ),
  );
  expect(new Set(statuses)).toEqual(new Set(['SUSPENDED', 'DEPROVISIONED']));
  const visible = new Set((await collect(client.userApi.listUsers({ limit: 200 }))).map((u) => u.id));
  candidates.forEach((u, i) =>
    expect(visible.has(emulator.directory.oktaUserId(u.id)!)).toBe(statuses[i] !== 'DEPROVISIONED'),
  );
  for (const u of candidates) emulator.state.updateUser(u.id, { enabled: true });
  for (const u of candidates)
    expect((await client.userApi.getUser({ userId: emulator.directory.oktaUserId(u.id)! })).status).toBe('ACTIVE');
});

test('membership changes move lastMembershipUpdated and show in the member listing', async () => {
  const client = sswsClient(emulator.url, emulator.apiToken);
  const since = new Date();
  const group = [...emulator.state.groups.values()].find((g) => g.userIds.size > 3)!;
  const groupId = emulator.directory.oktaGroupId(group.id)!;
  const outsider = [...emulator.state.users.values()].find((u) => !group.userIds.has(u.id))!;
  const insider = [...group.userIds][0]!;
  // Build the member list first so that the incremental maintenance is exercised.
  const before = await collect(client.groupApi.listGroupUsers({ groupId, limit: 1000 }));
  await new Promise((resolve) => setTimeout(resolve, 2));
  emulator.state.addMember(group.id, outsider.id);
  emulator.state.removeMember(group.id, insider);
  const after = await collect(client.groupApi.listGroupUsers({ groupId, limit: 50 }));
  expect(after.map((u) => u.id).sort()).toEqual(
    [
      ...before.map((u) => u.id as string).filter((id) => id !== emulator.directory.oktaUserId(insider)),
      emulator.directory.oktaUserId(outsider.id),
    ].sort(),
  );
  const changed = await collect(client.groupApi.listGroups({ filter: `lastMembershipUpdated gt "${iso(since)}"` }));
  expect(changed.map((g) => g.id)).toEqual([groupId]);
  const profileChanged = await collect(client.groupApi.listGroups({ filter: `lastUpdated gt "${iso(since)}"` }));
  expect(profileChanged).toEqual([]);
  const mine = await collect(client.userApi.listUserGroups({ userId: emulator.directory.oktaUserId(outsider.id)! }));
  expect(mine.map((g) => g.id)).toContain(groupId);
});

test('created and deleted users and groups appear and disappear; renames show', async () => {
  const client = sswsClient(emulator.url, emulator.apiToken);
  const template = [...emulator.state.users.values()].find((u) => u.enabled && !u.guest)!;
  emulator.state.createUser({
    ...template,
    id: 'created-user-1',
    login: 'created.user@example.com',
    mail: 'created.user@example.com',
    employeeId: '999999',
  });
  const created = await client.userApi.getUser({ userId: 'created.user@example.com' });
  expect(created.status).toBe('ACTIVE');
  const everyone = emulator.directory.everyone.id;
  expect(
    (await collect(client.groupApi.listGroupUsers({ groupId: everyone, limit: 1000 }))).map((u) => u.id),
  ).toContain(created.id);

  const groupTemplate = [...emulator.state.groups.values()][0]!;
  emulator.state.createGroup({
    ...groupTemplate,
    id: 'created-group-1',
    name: 'Created Group',
    mailNickname: 'created-group',
  });
  emulator.state.addMember('created-group-1', 'created-user-1');
  const groupId = emulator.directory.oktaGroupId('created-group-1')!;
  const group = await client.groupApi.getGroup({ groupId });
  expect([group.profile!.name, group.type]).toEqual(['Created Group', 'OKTA_GROUP']);
  expect((await collect(client.groupApi.listGroupUsers({ groupId }))).map((u) => u.id)).toEqual([created.id]);

  const response = await fetch(`${emulator.url}/_emulator/changes`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${emulator.controlToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify([
      { op: 'updateGroup', id: 'created-group-1', patch: { name: 'Renamed Group' } },
      { op: 'deleteUser', id: 'created-user-1' },
    ]),
  });
  expect(response.status).toBe(200);
  expect((await client.groupApi.getGroup({ groupId })).profile!.name).toBe('Renamed Group');
  expect(await collect(client.groupApi.listGroupUsers({ groupId }))).toEqual([]);
  expect((await rejection(client.userApi.getUser({ userId: created.id! }))).status).toBe(404);

  emulator.state.deleteGroup('created-group-1');
  expect((await rejection(client.groupApi.getGroup({ groupId }))).status).toBe(404);
  const all = await collect(client.groupApi.listGroups({ limit: 10_000 }));
  expect(all.length).toBe(31);
  const stats = await getJson(emulator, `/api/v1/groups/${everyone}?expand=stats`);
  expect((stats.body as { _embedded: { stats: { usersCount: number } } })._embedded.stats.usersCount).toBe(
    emulator.state.users.size,
  );
});
