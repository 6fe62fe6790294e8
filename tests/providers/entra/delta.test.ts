import type { ProviderChange } from '../../../src/providers/provider';
import { readMirror } from '../../../src/sync/mirror-reader';
import { connectorTest, storePicture } from '../connector-harness';
import { entra, startEmulator } from './subject';

/**
 * Graph delta for users and groups beyond the conformance suite's round trip: replays, rounds
 * applied twice, objects deleted mid-round, resyncs. Tiny delta pages (2 objects, 5 member
 * entries) so every round spans pages, replays the last object of each page and splits groups'
 * members@delta over several pages.
 */
const t = connectorTest(entra, {
  perTest: true,
  start: () => startEmulator({ delta: { objectsPerPage: 2, memberEntriesPerPage: 5 } }),
});
const users = () => [...t.emu.state.users.values()];
const groups = () => [...t.emu.state.groups.values()];

test('replayed objects and a group split over pages are merged: each object once, every membership change kept', async () => {
  const h = await t.harness();
  await h.full();
  const cursor = (await h.store.getCursor(h.directoryId))!;
  const group = groups().find((g) => g.groupIds.size === 0 && g.userIds.size > 4 && g.userIds.size < 100)!;
  const newcomers = users()
    .filter((u) => !group.userIds.has(u.id))
    .slice(0, 23);
  const leavers = [...group.userIds].slice(0, 4);
  for (const u of newcomers) t.emu.state.addMember(group.id, u.id);
  for (const u of leavers) t.emu.state.removeMember(group.id, u);
  for (const u of newcomers.slice(0, 7)) t.emu.state.updateUser(u.id, { jobTitle: 'Replayed' });

  const result = await h.provider.delta(cursor);
  if (result.kind !== 'changes') throw new Error(`expected changes, got ${result.reason}`);
  const ids = result.changes.map(key);
  expect(new Set(ids).size).toBe(ids.length);
  expect(result.changes.filter((c) => c.kind === 'userUpserted')).toHaveLength(7);
  expect(result.changes.filter((c) => c.kind === 'memberAdded' && c.groupId === group.id)).toHaveLength(23);
  expect(result.changes.filter((c) => c.kind === 'memberRemoved' && c.groupId === group.id)).toHaveLength(4);

  const run = await h.incremental();
  expect(run.mode).toBe('incremental');
  await t.expectStoreEqualsTenant(h);
});

test('the same round applied twice, and a user seen twice, leave the mirror as a full read sees it', async () => {
  const h = await t.harness();
  const cursor = await h.provider.deltaStart();
  const mirror = await readMirror(h.provider);
  const [a, b] = users();
  t.emu.state.updateUser(a!.id, { surname: 'Once' });
  t.emu.state.updateUser(a!.id, { surname: 'Twice' });
  t.emu.state.updateUser(b!.id, { enabled: false });
  t.emu.state.removeMember(t.emu.state.groupsOfUser(b!.id)[0]!.id, b!.id);
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
  const h = await t.harness();
  await h.full();
  // Enough changed groups for many one-or-two-object pages; the last one (id order) is deleted mid-round.
  const changed = groups()
    .filter((g) => g.groupIds.size === 0)
    .sort((x, y) => (x.id < y.id ? -1 : 1))
    .slice(0, 12);
  for (const g of changed) t.emu.state.updateGroup(g.id, { description: `touched ${g.id}` });
  const victim = changed[changed.length - 1]!;
  t.emu.faults.update({ latencyMs: 40 });
  const served = t.emu.stats().graphRequests;
  const seen: ProviderChange[][] = [];
  const delta = h.provider.delta.bind(h.provider);
  jest.spyOn(h.provider, 'delta').mockImplementation(async (cursor) => {
    const result = await delta(cursor);
    if (result.kind === 'changes') seen.push([...result.changes]);
    return result;
  });
  const run = h.incremental();
  while (t.emu.stats().graphRequests < served + 2) await new Promise((r) => setTimeout(r, 5));
  t.emu.state.deleteGroup(victim.id);
  const first = await run;
  t.emu.faults.update({ latencyMs: 0 });
  expect(first.status).toBe('succeeded');
  expect(first.mode).toBe('incremental');
  // The victim came as a bare id: neither upserted (it had no name) nor deleted (not yet reported).
  const touched = seen[0]!.filter(
    (c) => (c.kind === 'groupUpserted' ? c.group.id : c.kind === 'groupDeleted' ? c.id : '') === victim.id,
  );
  expect(touched).toEqual([]);
  expect(seen[0]!.filter((c) => c.kind === 'groupUpserted')).toHaveLength(changed.length - 1);
  const state = storePicture(await h.state());
  // Nothing was blanked: the group keeps its name until the next round says it is gone.
  for (const g of state.groups.values()) expect(g.name).not.toBe('');
  const second = await h.incremental();
  expect(second.mode).toBe('incremental');
  expect(seen[1]).toContainEqual({ kind: 'groupDeleted', id: victim.id });
  await t.expectStoreEqualsTenant(h);
});

test('410 Gone (sync state lost) → resync: the engine falls back to a full run', async () => {
  const h = await t.harness();
  await h.full();
  t.emu.state.updateUser(users()[0]!.id, { displayName: 'Changed Before Resync' });
  t.emu.faults.update({ forceResync: true });
  const run = await h.incremental();
  expect(run.status).toBe('succeeded');
  expect(run.mode).toBe('full');
  expect((run.report as { fallback?: string }).fallback).toMatch(/resync.*410 syncStateNotFound/);
  await t.expectStoreEqualsTenant(h);
  // The full run took a fresh position: the next incremental run is incremental again.
  t.emu.state.updateUser(users()[1]!.id, { displayName: 'Changed After Resync' });
  const next = await h.incremental();
  expect(next.mode).toBe('incremental');
  await t.expectStoreEqualsTenant(h);
});

test('invalidated tokens, a foreign cursor and a cursor from other settings all ask for a resync', async () => {
  const h = await t.harness();
  const cursor = await h.provider.deltaStart();
  t.emu.invalidateDeltaTokens();
  expect(await h.provider.delta(cursor)).toMatchObject({ kind: 'resync', reason: expect.stringMatching(/410/) });
  expect(await h.provider.delta('okta:123')).toMatchObject({ kind: 'resync' });
  const other = t.provider({ groupTypes: 'security' });
  expect(await other.delta(await h.provider.deltaStart())).toMatchObject({
    kind: 'resync',
    reason: expect.stringMatching(/settings changed/),
  });
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
