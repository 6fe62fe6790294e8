import type { RunningEntraEmulator } from '../../../src/emulators/entra';
import type { ProviderChange } from '../../../src/providers/provider';
import { readMirror } from '../../../src/sync/mirror-reader';
import { expectStoreEqualsTenant, harness, newUser, startEmulator, storePicture, type Harness } from './helpers';

/**
 * Incremental runs: Graph delta for users and groups, applied by the real engine to its mirror.
 * Tiny delta pages (2 objects, 5 member entries) so every round spans pages, replays the last
 * object of each page and splits groups' members@delta over several pages.
 */
let emu: RunningEntraEmulator;
let h: Harness | undefined;
beforeEach(async () => {
  emu = await startEmulator({ delta: { objectsPerPage: 2, memberEntriesPerPage: 5 } });
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await emu.close();
});

const users = () => [...emu.state.users.values()];
const groups = () => [...emu.state.groups.values()];

test('every kind of change reaches the store through an incremental run', async () => {
  h = await harness(emu);
  expect((await h.full()).status).toBe('succeeded');
  const [renamed, updated, disabled, deleted, leaver] = users().filter((u) => u.enabled && !u.guest);
  const [target, renamedGroup, deletedGroup, parent] = groups().filter((g) => g.groupIds.size === 0 && g.userIds.size > 2);
  const before = storePicture(await h.state());
  const storedKey = (await h.store.findUsersByExternalId(h.directoryId, [renamed!.id]))[0]!.id;
  const oldLogin = renamed!.login;

  emu.state.createUser(newUser('11111111-0000-4000-8000-000000000001', 'nova.tester@contoso.test'));
  emu.state.addMember(target!.id, '11111111-0000-4000-8000-000000000001');
  emu.state.updateUser(renamed!.id, { login: `renamed.${oldLogin}` });
  emu.state.updateUser(updated!.id, { department: 'Quantum', jobTitle: 'Lead', displayName: 'Updated Person' });
  emu.state.updateUser(disabled!.id, { enabled: false });
  emu.state.deleteUser(deleted!.id);
  const leftGroup = emu.state.groupsOfUser(leaver!.id)[0]!;
  emu.state.removeMember(leftGroup.id, leaver!.id);
  emu.state.updateGroup(renamedGroup!.id, { name: 'Renamed Group', description: 'now described' });
  emu.state.deleteGroup(deletedGroup!.id);
  emu.state.createGroup({ id: '22222222-0000-4000-8000-000000000001', name: 'Brand New', description: '', mailNickname: 'brand-new', kind: 'team', securityEnabled: true, mailEnabled: false, unified: false });
  emu.state.addMember('22222222-0000-4000-8000-000000000001', updated!.id);
  emu.state.addMember(parent!.id, '22222222-0000-4000-8000-000000000001');

  const run = await h.incremental();
  expect(run.error).toBeNull();
  expect(run.mode).toBe('incremental');
  expect((run.report as { fallback?: string }).fallback).toBeUndefined();
  await expectStoreEqualsTenant(h, emu);

  const after = storePicture(await h.state());
  expect(after.users.get('11111111-0000-4000-8000-000000000001')?.name).toBe('nova.tester@contoso.test');
  expect(after.userMemberships.has(`11111111-0000-4000-8000-000000000001>${target!.id}`)).toBe(true);
  // A UPN change is a rename of the same Crowd user (same key), not delete + create.
  expect((await h.store.findUsersByExternalId(h.directoryId, [renamed!.id]))[0]!.id).toBe(storedKey);
  expect(after.users.get(renamed!.id)?.name).toBe(`renamed.${oldLogin}`);
  expect(after.users.get(updated!.id)).toMatchObject({ displayName: 'Updated Person', attributes: expect.objectContaining({ department: 'Quantum', jobTitle: 'Lead' }) });
  expect(before.users.get(disabled!.id)?.active).toBe(true);
  expect(after.users.get(disabled!.id)?.active).toBe(false);
  expect(after.users.has(deleted!.id)).toBe(false);
  expect(after.userMemberships.has(`${leaver!.id}>${leftGroup.id}`)).toBe(false);
  expect(after.groups.get(renamedGroup!.id)).toEqual({ name: 'Renamed Group', description: 'now described' });
  expect(after.groups.has(deletedGroup!.id)).toBe(false);
  expect(after.groupMemberships.has(`22222222-0000-4000-8000-000000000001>${parent!.id}`)).toBe(true);
  expect(run.counts).toMatchObject({ usersAdded: 1, usersRenamed: 1, usersRemoved: 1 });

  // A quiet round changes nothing.
  const quiet = await h.incremental();
  expect(quiet.mode).toBe('incremental');
  expect(Object.values(quiet.counts).every((n) => n === 0)).toBe(true);
});

test('replayed objects and a group split over pages are merged: each object once, every membership change kept', async () => {
  h = await harness(emu);
  await h.full();
  const cursor = (await h.store.getCursor(h.directoryId))!;
  const group = groups().find((g) => g.groupIds.size === 0 && g.userIds.size > 4 && g.userIds.size < 100)!;
  const newcomers = users().filter((u) => !group.userIds.has(u.id)).slice(0, 23);
  const leavers = [...group.userIds].slice(0, 4);
  for (const u of newcomers) emu.state.addMember(group.id, u.id);
  for (const u of leavers) emu.state.removeMember(group.id, u);
  for (const u of newcomers.slice(0, 7)) emu.state.updateUser(u.id, { jobTitle: 'Replayed' });

  const result = await h.provider.delta(cursor);
  if (result.kind !== 'changes') throw new Error(`expected changes, got ${result.reason}`);
  const ids = result.changes.map(key);
  expect(new Set(ids).size).toBe(ids.length);
  expect(result.changes.filter((c) => c.kind === 'userUpserted')).toHaveLength(7);
  expect(result.changes.filter((c) => c.kind === 'memberAdded' && c.groupId === group.id)).toHaveLength(23);
  expect(result.changes.filter((c) => c.kind === 'memberRemoved' && c.groupId === group.id)).toHaveLength(4);

  const run = await h.incremental();
  expect(run.mode).toBe('incremental');
  await expectStoreEqualsTenant(h, emu);
});

test('the same round applied twice, and a user seen twice, leave the mirror as a full read sees it', async () => {
  h = await harness(emu);
  const cursor = await h.provider.deltaStart();
  const mirror = await readMirror(h.provider);
  const [a, b] = users();
  emu.state.updateUser(a!.id, { surname: 'Once' });
  emu.state.updateUser(a!.id, { surname: 'Twice' });
  emu.state.updateUser(b!.id, { enabled: false });
  emu.state.removeMember(emu.state.groupsOfUser(b!.id)[0]!.id, b!.id);
  const first = await h.provider.delta(cursor);
  const again = await h.provider.delta(cursor);
  if (first.kind !== 'changes' || again.kind !== 'changes') throw new Error('expected changes');
  expect(again.changes.map(key).sort()).toEqual(first.changes.map(key).sort());
  mirror.apply(first.changes);
  mirror.apply(again.changes);
  const fresh = await readMirror(h.provider);
  expect(mirror.users.get(a!.id)?.surname).toBe('Twice');
  expect([...mirror.users.values()].sort(byId)).toEqual([...fresh.users.values()].sort(byId));
  expect(links(mirror.userGroups)).toEqual(links(fresh.userGroups));
  expect(links(mirror.groupParents)).toEqual(links(fresh.groupParents));
});

test('a group deleted while its round is read shows as a bare id (no name): harmless, removed next round', async () => {
  h = await harness(emu);
  await h.full();
  // Enough changed groups for many one-or-two-object pages; the last one (id order) is deleted mid-round.
  const changed = groups().filter((g) => g.groupIds.size === 0).sort((x, y) => (x.id < y.id ? -1 : 1)).slice(0, 12);
  for (const g of changed) emu.state.updateGroup(g.id, { description: `touched ${g.id}` });
  const victim = changed[changed.length - 1]!;
  emu.faults.update({ latencyMs: 40 });
  const served = emu.stats().graphRequests;
  const seen: ProviderChange[][] = [];
  const delta = h.provider.delta.bind(h.provider);
  jest.spyOn(h.provider, 'delta').mockImplementation(async (cursor) => {
    const result = await delta(cursor);
    if (result.kind === 'changes') seen.push([...result.changes]);
    return result;
  });
  const run = h.incremental();
  while (emu.stats().graphRequests < served + 2) await new Promise((r) => setTimeout(r, 5));
  emu.state.deleteGroup(victim.id);
  const first = await run;
  emu.faults.update({ latencyMs: 0 });
  expect(first.status).toBe('succeeded');
  expect(first.mode).toBe('incremental');
  // The victim came as a bare id: neither upserted (it had no name) nor deleted (not yet reported).
  const touched = seen[0]!.filter((c) => (c.kind === 'groupUpserted' ? c.group.id : c.kind === 'groupDeleted' ? c.id : '') === victim.id);
  expect(touched).toEqual([]);
  expect(seen[0]!.filter((c) => c.kind === 'groupUpserted')).toHaveLength(changed.length - 1);
  const state = storePicture(await h.state());
  // Nothing was blanked: the group keeps its name until the next round says it is gone.
  for (const g of state.groups.values()) expect(g.name).not.toBe('');
  const second = await h.incremental();
  expect(second.mode).toBe('incremental');
  expect(seen[1]).toContainEqual({ kind: 'groupDeleted', id: victim.id });
  await expectStoreEqualsTenant(h, emu);
});

test('410 Gone (sync state lost) → resync: the engine falls back to a full run', async () => {
  h = await harness(emu);
  await h.full();
  emu.state.updateUser(users()[0]!.id, { displayName: 'Changed Before Resync' });
  emu.faults.update({ forceResync: true });
  const run = await h.incremental();
  expect(run.status).toBe('succeeded');
  expect(run.mode).toBe('full');
  expect((run.report as { fallback?: string }).fallback).toMatch(/resync.*410 syncStateNotFound/);
  await expectStoreEqualsTenant(h, emu);
  // The full run took a fresh position: the next incremental run is incremental again.
  emu.state.updateUser(users()[1]!.id, { displayName: 'Changed After Resync' });
  const next = await h.incremental();
  expect(next.mode).toBe('incremental');
  await expectStoreEqualsTenant(h, emu);
});

test('invalidated tokens, a foreign cursor and a cursor from other settings all ask for a resync', async () => {
  h = await harness(emu);
  const cursor = await h.provider.deltaStart();
  emu.invalidateDeltaTokens();
  expect(await h.provider.delta(cursor)).toMatchObject({ kind: 'resync', reason: expect.stringMatching(/410/) });
  expect(await h.provider.delta('okta:123')).toMatchObject({ kind: 'resync' });
  const other = await harness(emu, { entra: { groupTypes: 'security' } });
  try {
    expect(await other.provider.delta(await h.provider.deltaStart())).toMatchObject({ kind: 'resync', reason: expect.stringMatching(/settings changed/) });
  } finally {
    await other.close();
  }
});

function key(change: ProviderChange): string {
  switch (change.kind) {
    case 'userUpserted':
      return `user:${change.user.id}`;
    case 'groupUpserted':
      return `group:${change.group.id}`;
    case 'memberAdded':
    case 'memberRemoved':
      return `member:${change.groupId}:${change.member.id}`;
    default:
      return `${change.kind}:${change.id}`;
  }
}

const byId = (x: { id: string }, y: { id: string }): number => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

function links(map: ReadonlyMap<string, Iterable<string>>): string[] {
  return [...map].flatMap(([from, to]) => [...to].map((t) => `${from}>${t}`)).sort();
}
