import type { RunningOktaEmulator } from '../../../src/emulators/okta';
import type { ProviderChange } from '../../../src/providers/provider';
import { readMirror } from '../../../src/sync/mirror-reader';
import { getAll } from '../../emulators/okta/helpers';
import { expectStoreEqualsOrg, harness, newUser, startEmulator, storePicture, type Harness } from './helpers';

/** Incremental runs from the System Log, applied by the real engine to its mirror. */
let emu: RunningOktaEmulator;
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
const oktaUser = (tenantId: string) => emu.directory.oktaUserId(tenantId)!;
const oktaGroup = (tenantId: string) => emu.directory.oktaGroupId(tenantId)!;
const key = (c: ProviderChange): string =>
  c.kind === 'userUpserted' ? `u+${c.user.id}` : c.kind === 'groupUpserted' ? `g+${c.group.id}` : c.kind === 'userDeleted' || c.kind === 'groupDeleted' ? `${c.kind}${c.id}` : `${c.kind}${c.groupId}/${c.member.id}`;

test('every System Log event kind reaches the store through an incremental run', async () => {
  h = await harness(emu);
  expect((await h.full()).status).toBe('succeeded');
  const since = new Date().toISOString();
  const [renamed, updated, disabled, deleted, leaver] = users().filter((u) => u.enabled && !u.guest);
  const [target, renamedGroup, deletedGroup] = groups().filter((g) => g.userIds.size > 2);
  const storedKey = (await h.store.findUsersByExternalId(h.directoryId, [oktaUser(renamed!.id)]))[0]!.id;

  emu.state.createUser(newUser('11111111-0000-4000-8000-000000000001', 'nova.tester@example.test'));
  emu.state.addMember(target!.id, '11111111-0000-4000-8000-000000000001');
  emu.state.updateUser(renamed!.id, { login: `renamed.${renamed!.login}` });
  emu.state.updateUser(updated!.id, { department: 'Quantum', jobTitle: 'Lead', displayName: 'Updated Person' });
  emu.state.updateUser(disabled!.id, { enabled: false });
  emu.state.deleteUser(deleted!.id);
  const leftGroup = emu.state.groupsOfUser(leaver!.id)[0]!;
  emu.state.removeMember(leftGroup.id, leaver!.id);
  emu.state.updateGroup(renamedGroup!.id, { name: 'Renamed Group', description: 'now described' });
  emu.state.deleteGroup(deletedGroup!.id);
  emu.state.createGroup({ id: '22222222-0000-4000-8000-000000000001', name: 'Brand New', description: '', mailNickname: 'brand-new', kind: 'team', securityEnabled: true, mailEnabled: false, unified: false });
  emu.state.addMember('22222222-0000-4000-8000-000000000001', updated!.id);

  // The log holds every kind the connector reads.
  const logged = new Set((await getAll(emu, `/api/v1/logs?since=${encodeURIComponent(since)}&until=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}&limit=1000`)).items.map((e) => e['eventType']));
  for (const type of ['user.lifecycle.create', 'user.account.update_profile', 'user.lifecycle.delete.initiated', 'group.user_membership.add', 'group.user_membership.remove', 'group.lifecycle.create', 'group.lifecycle.delete', 'group.profile.update']) {
    expect(logged).toContain(type);
  }
  expect(logged.has('user.lifecycle.deactivate') || logged.has('user.lifecycle.suspend')).toBe(true);

  const run = await h.incremental();
  expect(run.error).toBeNull();
  expect(run.mode).toBe('incremental');
  expect((run.report as { fallback?: string }).fallback).toBeUndefined();
  await expectStoreEqualsOrg(h, emu);

  const after = storePicture(await h.state());
  const nova = oktaUser('11111111-0000-4000-8000-000000000001');
  expect(after.users.get(nova)?.name).toBe('nova.tester@example.test');
  expect(after.userMemberships.has(`${nova}>${oktaGroup(target!.id)}`)).toBe(true);
  // A login change is a rename of the same Crowd user (same key), not delete + create.
  expect((await h.store.findUsersByExternalId(h.directoryId, [oktaUser(renamed!.id)]))[0]!.id).toBe(storedKey);
  expect(after.users.get(oktaUser(updated!.id))).toMatchObject({ displayName: 'Updated Person', department: 'Quantum' });
  expect(after.users.get(oktaUser(disabled!.id))?.active).toBe(false);
  expect(after.userMemberships.has(`${oktaUser(leaver!.id)}>${oktaGroup(leftGroup.id)}`)).toBe(false);
  expect(after.groups.get(oktaGroup(renamedGroup!.id))).toEqual({ name: 'Renamed Group', description: 'now described' });
  expect(after.groups.get(oktaGroup('22222222-0000-4000-8000-000000000001'))?.name).toBe('Brand New');

  // A quiet round changes nothing.
  const quiet = await h.incremental();
  expect(quiet.mode).toBe('incremental');
  expect(Object.values(quiet.counts).every((n) => n === 0)).toBe(true);
});

test('deactivate / suspend and activate / unsuspend events flip the user inactive and back', async () => {
  h = await harness(emu);
  await h.full();
  const since = new Date().toISOString();
  const people = users().filter((u) => u.enabled && !u.guest).slice(0, 6);
  for (const u of people) emu.state.updateUser(u.id, { enabled: false });
  expect((await h.incremental()).mode).toBe('incremental');
  let picture = storePicture(await h.state());
  for (const u of people) expect(picture.users.get(oktaUser(u.id))?.active).toBe(false);
  for (const u of people) emu.state.updateUser(u.id, { enabled: true });
  expect((await h.incremental()).mode).toBe('incremental');
  picture = storePicture(await h.state());
  for (const u of people) expect(picture.users.get(oktaUser(u.id))?.active).toBe(true);
  const logged = new Set((await getAll(emu, `/api/v1/logs?since=${encodeURIComponent(since)}&until=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}&limit=1000`)).items.map((e) => e['eventType']));
  expect(logged.has('user.lifecycle.deactivate') || logged.has('user.lifecycle.suspend')).toBe(true);
  expect(logged.has('user.lifecycle.activate') || logged.has('user.lifecycle.unsuspend')).toBe(true);
  await expectStoreEqualsOrg(h, emu);
});

test('the same round applied twice leaves the mirror as a full read sees it; add then remove nets out', async () => {
  h = await harness(emu);
  const cursor = await h.provider.deltaStart();
  const mirror = await readMirror(h.provider);
  const [a, b, c] = users().filter((u) => u.enabled);
  emu.state.updateUser(a!.id, { surname: 'Once' });
  emu.state.updateUser(a!.id, { surname: 'Twice' });
  emu.state.updateUser(b!.id, { enabled: false });
  const group = groups().find((g) => !g.userIds.has(c!.id))!;
  emu.state.addMember(group.id, c!.id);
  emu.state.removeMember(group.id, c!.id);
  const first = await h.provider.delta(cursor);
  const again = await h.provider.delta(cursor);
  if (first.kind !== 'changes' || again.kind !== 'changes') throw new Error('expected changes');
  expect(again.changes.map(key).sort()).toEqual(first.changes.map(key).sort());
  expect(first.changes.map(key)).toContain(`memberRemoved${oktaGroup(group.id)}/${oktaUser(c!.id)}`);
  expect(first.changes.map(key)).not.toContain(`memberAdded${oktaGroup(group.id)}/${oktaUser(c!.id)}`);
  mirror.apply(first.changes);
  mirror.apply(again.changes);
  const fresh = await readMirror(h.provider);
  expect(mirror.users.get(oktaUser(a!.id))?.surname).toBe('Twice');
  const byId = (x: { id: string }, y: { id: string }) => (x.id < y.id ? -1 : 1);
  expect([...mirror.users.values()].sort(byId)).toEqual([...fresh.users.values()].sort(byId));
  const links = (m: ReadonlyMap<string, Iterable<string>>) => [...m].flatMap(([k, v]) => [...v].map((x) => `${k}>${x}`)).sort();
  expect(links(mirror.userGroups)).toEqual(links(fresh.userGroups));
});

test('lost log position (Okta refuses the cursor) → resync: the engine falls back to a full run', async () => {
  h = await harness(emu);
  await h.full();
  emu.state.updateUser(users()[0]!.id, { department: 'After loss' });
  emu.faults.update({ forceResync: true });
  // The stored position is a polling link with `after` once a round has been read.
  expect((await h.incremental()).mode).toBe('incremental');
  emu.state.updateUser(users()[1]!.id, { department: 'After loss' });
  emu.faults.update({ forceResync: true });
  const run = await h.incremental();
  expect(run.status).toBe('succeeded');
  expect(run.mode).toBe('full');
  expect((run.report as { fallback?: string }).fallback).toMatch(/resync.*System Log position/);
  await expectStoreEqualsOrg(h, emu);
  expect((await h.incremental()).mode).toBe('incremental');
});

test('a position older than the log keeps → resync', async () => {
  await emu.close();
  emu = await startEmulator({ logRetention: { maxEvents: 5 } });
  h = await harness(emu);
  await h.full();
  emu.state.updateUser(users()[0]!.id, { department: 'x' });
  expect((await h.incremental()).mode).toBe('incremental');
  for (const u of users().slice(1, 12)) emu.state.updateUser(u.id, { department: 'Evicted' });
  const run = await h.incremental();
  expect(run.mode).toBe('full');
  expect((run.report as { fallback?: string }).fallback).toMatch(/retention/);
  await expectStoreEqualsOrg(h, emu);
});

test('a cursor from other filters, another org or garbage → resync without a request', async () => {
  h = await harness(emu);
  const cursor = await h.provider.deltaStart();
  await h.close();
  h = await harness(emu, { okta: { groupTypes: ['OKTA_GROUP'] } });
  expect(await h.provider.delta(cursor)).toMatchObject({ kind: 'resync', reason: expect.stringMatching(/group types or user statuses/) });
  expect(await h.provider.delta('okta1.!!!')).toMatchObject({ kind: 'resync' });
  expect(await h.provider.delta('entra1.abc')).toMatchObject({ kind: 'resync' });
});

test('membership events of groups not synced (group types) are dropped', async () => {
  h = await harness(emu, { okta: { groupTypes: ['OKTA_GROUP'] } });
  await h.full();
  const appGroup = [...emu.directory.groups.values()].find((g) => g.type === 'APP_GROUP' && g.tenantId !== null)!;
  const outsider = users().find((u) => !emu.state.groups.get(appGroup.tenantId!)!.userIds.has(u.id))!;
  emu.state.addMember(appGroup.tenantId!, outsider.id);
  const run = await h.incremental();
  expect(run.mode).toBe('incremental');
  expect(run.status).toBe('succeeded');
  const state = storePicture(await h.state());
  expect(state.groups.has(appGroup.id)).toBe(false);
  expect([...state.userMemberships].some((m) => m.endsWith(`>${appGroup.id}`))).toBe(false);
});
