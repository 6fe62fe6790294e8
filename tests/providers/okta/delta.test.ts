import type { ProviderChange } from '../../../src/providers/provider';
import { readMirror } from '../../../src/sync/mirror-reader';
import { getAll } from '../../emulators/okta/helpers';
import { connectorTest, newUser } from '../connector-harness';
import { okta, startEmulator, storePicture } from './subject';

/**
 * The System Log as a change feed beyond the conformance suite's round trip: the event kinds, status
 * flips, rounds applied twice, lost and expired positions, filtered groups.
 */
const t = connectorTest(okta, { perTest: true });

const users = () => [...t.emu.state.users.values()];
const groups = () => [...t.emu.state.groups.values()];
const oktaUser = (tenantId: string) => t.emu.directory.oktaUserId(tenantId)!;
const oktaGroup = (tenantId: string) => t.emu.directory.oktaGroupId(tenantId)!;
const key = (c: ProviderChange): string =>
  c.kind === 'userUpserted'
    ? `u+${c.user.id}`
    : c.kind === 'groupUpserted'
      ? `g+${c.group.id}`
      : c.kind === 'userDeleted' || c.kind === 'groupDeleted'
        ? `${c.kind}${c.id}`
        : `${c.kind}${c.groupId}/${c.member.id}`;

test('the System Log records every event kind the connector reads, and an incremental run applies them', async () => {
  const h = await t.harness();
  expect((await h.full()).status).toBe('succeeded');
  const since = new Date().toISOString();
  const [renamed, updated, disabled, deleted, leaver] = users().filter((u) => u.enabled && !u.guest);
  const [target, renamedGroup, deletedGroup] = groups().filter((g) => g.userIds.size > 2);

  t.emu.state.createUser(newUser('11111111-0000-4000-8000-000000000001', 'nova.tester@example.test'));
  t.emu.state.addMember(target!.id, '11111111-0000-4000-8000-000000000001');
  t.emu.state.updateUser(renamed!.id, { login: `renamed.${renamed!.login}` });
  t.emu.state.updateUser(updated!.id, { department: 'Quantum', jobTitle: 'Lead', displayName: 'Updated Person' });
  t.emu.state.updateUser(disabled!.id, { enabled: false });
  t.emu.state.deleteUser(deleted!.id);
  const leftGroup = t.emu.state.groupsOfUser(leaver!.id)[0]!;
  t.emu.state.removeMember(leftGroup.id, leaver!.id);
  t.emu.state.updateGroup(renamedGroup!.id, { name: 'Renamed Group', description: 'now described' });
  t.emu.state.deleteGroup(deletedGroup!.id);
  t.emu.state.createGroup({
    id: '22222222-0000-4000-8000-000000000001',
    name: 'Brand New',
    description: '',
    mailNickname: 'brand-new',
    kind: 'team',
    securityEnabled: true,
    mailEnabled: false,
    unified: false,
  });
  t.emu.state.addMember('22222222-0000-4000-8000-000000000001', updated!.id);

  // The log holds every kind the connector reads.
  const logged = new Set(
    (
      await getAll(
        t.emu,
        `/api/v1/logs?since=${encodeURIComponent(since)}&until=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}&limit=1000`,
      )
    ).items.map((e) => e['eventType']),
  );
  for (const type of [
    'user.lifecycle.create',
    'user.account.update_profile',
    'user.lifecycle.delete.initiated',
    'group.user_membership.add',
    'group.user_membership.remove',
    'group.lifecycle.create',
    'group.lifecycle.delete',
    'group.profile.update',
  ]) {
    expect(logged).toContain(type);
  }
  expect(logged.has('user.lifecycle.deactivate') || logged.has('user.lifecycle.suspend')).toBe(true);

  const run = await h.incremental();
  expect(run.error).toBeNull();
  expect(run.mode).toBe('incremental');
  expect((run.report as { fallback?: string }).fallback).toBeUndefined();
  await t.expectStoreEqualsTenant(h);
});

test('deactivate / suspend and activate / unsuspend events flip the user inactive and back', async () => {
  const h = await t.harness();
  await h.full();
  const since = new Date().toISOString();
  const people = users()
    .filter((u) => u.enabled && !u.guest)
    .slice(0, 6);
  for (const u of people) t.emu.state.updateUser(u.id, { enabled: false });
  expect((await h.incremental()).mode).toBe('incremental');
  let picture = storePicture(await h.state());
  for (const u of people) expect(picture.users.get(oktaUser(u.id))?.active).toBe(false);
  for (const u of people) t.emu.state.updateUser(u.id, { enabled: true });
  expect((await h.incremental()).mode).toBe('incremental');
  picture = storePicture(await h.state());
  for (const u of people) expect(picture.users.get(oktaUser(u.id))?.active).toBe(true);
  const logged = new Set(
    (
      await getAll(
        t.emu,
        `/api/v1/logs?since=${encodeURIComponent(since)}&until=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}&limit=1000`,
      )
    ).items.map((e) => e['eventType']),
  );
  expect(logged.has('user.lifecycle.deactivate') || logged.has('user.lifecycle.suspend')).toBe(true);
  expect(logged.has('user.lifecycle.activate') || logged.has('user.lifecycle.unsuspend')).toBe(true);
  await t.expectStoreEqualsTenant(h);
});

test('the same round applied twice leaves the mirror as a full read sees it; add then remove nets out', async () => {
  const h = await t.harness();
  const cursor = await h.provider.deltaStart();
  const mirror = await readMirror(h.provider);
  const [a, b, c] = users().filter((u) => u.enabled);
  t.emu.state.updateUser(a!.id, { surname: 'Once' });
  t.emu.state.updateUser(a!.id, { surname: 'Twice' });
  t.emu.state.updateUser(b!.id, { enabled: false });
  const group = groups().find((g) => !g.userIds.has(c!.id))!;
  t.emu.state.addMember(group.id, c!.id);
  t.emu.state.removeMember(group.id, c!.id);
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
  const links = (m: ReadonlyMap<string, Iterable<string>>) =>
    [...m].flatMap(([k, v]) => [...v].map((x) => `${k}>${x}`)).sort();
  expect(links(mirror.userGroups)).toEqual(links(fresh.userGroups));
});

test('lost log position (Okta refuses the cursor) → resync: the engine falls back to a full run', async () => {
  const h = await t.harness();
  await h.full();
  t.emu.state.updateUser(users()[0]!.id, { department: 'After loss' });
  t.emu.faults.update({ forceResync: true });
  // The stored position is a polling link with `after` once a round has been read.
  expect((await h.incremental()).mode).toBe('incremental');
  t.emu.state.updateUser(users()[1]!.id, { department: 'After loss' });
  t.emu.faults.update({ forceResync: true });
  const run = await h.incremental();
  expect(run.status).toBe('succeeded');
  expect(run.mode).toBe('full');
  expect((run.report as { fallback?: string }).fallback).toMatch(/resync.*System Log position/);
  await t.expectStoreEqualsTenant(h);
  expect((await h.incremental()).mode).toBe('incremental');
});

test('a position older than the log keeps → resync', async () => {
  await t.restart(() => startEmulator({ logRetention: { maxEvents: 5 } }));
  const h = await t.harness();
  await h.full();
  t.emu.state.updateUser(users()[0]!.id, { department: 'x' });
  expect((await h.incremental()).mode).toBe('incremental');
  for (const u of users().slice(1, 12)) t.emu.state.updateUser(u.id, { department: 'Evicted' });
  const run = await h.incremental();
  expect(run.mode).toBe('full');
  expect((run.report as { fallback?: string }).fallback).toMatch(/retention/);
  await t.expectStoreEqualsTenant(h);
});

test('a cursor from other filters, another org or garbage → resync without a request', async () => {
  const cursor = await t.provider().deltaStart();
  const filtered = t.provider({ groupTypes: ['OKTA_GROUP'] });
  expect(await filtered.delta(cursor)).toMatchObject({
    kind: 'resync',
    reason: expect.stringMatching(/group types or user statuses/),
  });
  expect(await filtered.delta('okta1.!!!')).toMatchObject({ kind: 'resync' });
  expect(await filtered.delta('entra1.abc')).toMatchObject({ kind: 'resync' });
});

test('membership events of groups not synced (group types) are dropped', async () => {
  const h = await t.harness({ settings: { groupTypes: ['OKTA_GROUP'] } });
  await h.full();
  const appGroup = [...t.emu.directory.groups.values()].find((g) => g.type === 'APP_GROUP' && g.tenantId !== null)!;
  const outsider = users().find((u) => !t.emu.state.groups.get(appGroup.tenantId!)!.userIds.has(u.id))!;
  t.emu.state.addMember(appGroup.tenantId!, outsider.id);
  const run = await h.incremental();
  expect(run.mode).toBe('incremental');
  expect(run.status).toBe('succeeded');
  const state = storePicture(await h.state());
  expect(state.groups.has(appGroup.id)).toBe(false);
  expect([...state.userMemberships].some((m) => m.endsWith(`>${appGroup.id}`))).toBe(false);
});
