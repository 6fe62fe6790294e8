import type { RunningGoogleEmulator } from '../../../src/emulators/google';
import { SyncScheduler } from '../../../src/sync/scheduler';
import { expectStoreEqualsTenant, gid, harness, newUser, startEmulator, storePicture, type Harness } from './helpers';

/**
 * Upstream changes reach the store on the next run. Google has no change feed: an incremental
 * request runs as a full listing, diffed by the engine, which writes only what changed.
 */
let emu: RunningGoogleEmulator;
let h: Harness | undefined;
beforeEach(async () => {
  emu = await startEmulator();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await emu.close();
});

const users = () => [...emu.state.users.values()];
const groups = () => [...emu.state.groups.values()];

test('every kind of change reaches the store on the next run', async () => {
  h = await harness(emu);
  expect((await h.full()).status).toBe('succeeded');
  const [renamed, updated, suspended, deleted, leaver, joiner] = users().filter((u) => u.enabled && !u.guest);
  const [target, renamedGroup, deletedGroup, parent, child] = groups().filter((g) => g.kind !== 'all-staff' && g.groupIds.size === 0 && g.userIds.size > 2);
  const storedKey = (await h.store.findUsersByExternalId(h.directoryId, [gid(emu, renamed!.id)]))[0]!.id;
  const oldLogin = renamed!.login;
  const renamedGid = gid(emu, renamed!.id);
  const deletedGid = gid(emu, deleted!.id);
  const deletedGroupGid = gid(emu, deletedGroup!.id);

  emu.state.createUser(newUser('11111111-0000-4000-8000-000000000001', `nova.tester@${emu.domain}`));
  emu.state.addMember(target!.id, '11111111-0000-4000-8000-000000000001');
  emu.state.updateUser(renamed!.id, { login: `renamed.${oldLogin}`, mail: `renamed.${oldLogin}` });
  emu.state.updateUser(updated!.id, { department: 'Quantum', jobTitle: 'Lead', displayName: 'Updated Person' });
  emu.state.updateUser(suspended!.id, { enabled: false });
  emu.state.deleteUser(deleted!.id);
  const leftGroup = emu.state.groupsOfUser(leaver!.id).find((g) => g.kind !== 'all-staff')!;
  emu.state.removeMember(leftGroup.id, leaver!.id);
  emu.state.addMember(target!.id, joiner!.id);
  emu.state.updateGroup(renamedGroup!.id, { name: 'Renamed Group', description: 'now described' });
  emu.state.deleteGroup(deletedGroup!.id);
  emu.state.createGroup({ id: '22222222-0000-4000-8000-000000000001', name: 'Brand New', description: '', mailNickname: 'brand-new', kind: 'team', securityEnabled: true, mailEnabled: false, unified: false });
  emu.state.addMember('22222222-0000-4000-8000-000000000001', updated!.id);
  emu.state.addMember(parent!.id, '22222222-0000-4000-8000-000000000001');
  emu.state.addMember(parent!.id, child!.id);

  const run = await h.incremental();
  expect(run.error).toBeNull();
  expect(run.status).toBe('succeeded');
  // No change feed: the engine fell back to a full listing, and says why.
  expect(run.mode).toBe('full');
  expect((run.report as { fallback?: string }).fallback).toBe('the provider has no change feed');
  await expectStoreEqualsTenant(h, emu);

  const after = storePicture(await h.state());
  const nova = gid(emu, '11111111-0000-4000-8000-000000000001');
  expect(after.users.get(nova)?.name).toBe(`nova.tester@${emu.domain}`);
  expect(after.userMemberships.has(`${nova}>${gid(emu, target!.id)}`)).toBe(true);
  expect(after.userMemberships.has(`${gid(emu, joiner!.id)}>${gid(emu, target!.id)}`)).toBe(true);
  expect(after.userMemberships.has(`${gid(emu, leaver!.id)}>${gid(emu, leftGroup.id)}`)).toBe(false);
  // A primary email change is a rename of the same Crowd user (same key), not delete + create.
  expect((await h.store.findUsersByExternalId(h.directoryId, [renamedGid]))[0]!.id).toBe(storedKey);
  expect(after.users.get(renamedGid)?.name).toBe(`renamed.${oldLogin}`.toLowerCase());
  expect(after.users.get(gid(emu, updated!.id))).toMatchObject({ displayName: 'Updated Person', attributes: expect.objectContaining({ department: 'Quantum', jobTitle: 'Lead', orgUnitPath: '/Quantum' }) });
  expect(after.users.get(gid(emu, suspended!.id))?.active).toBe(false);
  expect(after.users.has(deletedGid)).toBe(false);
  expect(after.groups.get(gid(emu, renamedGroup!.id))).toEqual({ name: 'Renamed Group', description: 'now described' });
  expect(after.groups.has(deletedGroupGid)).toBe(false);
  const brandNew = gid(emu, '22222222-0000-4000-8000-000000000001');
  expect(after.groupMemberships.has(`${brandNew}>${gid(emu, parent!.id)}`)).toBe(true);
  expect(after.groupMemberships.has(`${gid(emu, child!.id)}>${gid(emu, parent!.id)}`)).toBe(true);
  // The new user joins "All Staff" through its CUSTOMER member.
  expect(after.userMemberships.has(`${nova}>${gid(emu, emu.customerMemberGroupId!)}`)).toBe(true);
});

test('an unchanged tenant: the next run writes nothing and emits no events', async () => {
  h = await harness(emu);
  expect((await h.full()).status).toBe('succeeded');
  const token = await h.store.currentEventToken();
  const run = await h.incremental();
  expect(run.status).toBe('succeeded');
  expect(Object.values(run.counts).every((n) => n === 0)).toBe(true);
  expect(await h.store.eventsSince(token, [h.directoryId])).toMatchObject({ kind: 'events', events: [] });
});

test('one change → only that row is written', async () => {
  h = await harness(emu);
  expect((await h.full()).status).toBe('succeeded');
  const user = users().find((u) => u.enabled && !u.guest)!;
  emu.state.updateUser(user.id, { jobTitle: 'Changed Title' });
  const token = await h.store.currentEventToken();
  const run = await h.full();
  expect(run.status).toBe('succeeded');
  const events = await h.store.eventsSince(token, [h.directoryId]);
  expect(events.kind === 'events' ? events.events.length : -1).toBe(1);
  expect(run.counts).toMatchObject({ usersUpdated: 1, usersAdded: 0, usersRemoved: 0, membershipsAdded: 0, membershipsRemoved: 0 });
});

test('the CUSTOMER member removed and added again: "All Staff" shrinks to its explicit members and grows back', async () => {
  h = await harness(emu);
  expect((await h.full()).status).toBe('succeeded');
  emu.setCustomerMember(emu.customerMemberGroupId!, false);
  expect((await h.full()).status).toBe('succeeded');
  await expectStoreEqualsTenant(h, emu);
  emu.setCustomerMember(emu.customerMemberGroupId!, true);
  expect((await h.full()).status).toBe('succeeded');
  await expectStoreEqualsTenant(h, emu);
});

test('the scheduler runs no incremental syncs for Google (only the full schedule)', () => {
  const started: string[] = [];
  const fakeEngine = {
    directories: () => [{ directory: { name: 'corp' }, provider: { kind: 'google', users() {}, groups() {}, members() {}, testConnection() {} }, settings: { schedule: { fullMinutes: 15, incrementalSeconds: 60 } } }],
    sync: (_name: string, request: { mode: string }) => started.push(request.mode),
  };
  jest.useFakeTimers();
  try {
    const scheduler = new SyncScheduler(fakeEngine as never);
    scheduler.start();
    jest.advanceTimersByTime(15 * 60_000);
    scheduler.stop();
  } finally {
    jest.useRealTimers();
  }
  expect(started).toEqual(['full']);
});
