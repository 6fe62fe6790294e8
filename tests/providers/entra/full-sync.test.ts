import type { RunningEntraEmulator } from '../../../src/emulators/entra';
import { createEntraProvider, parseEntraSettings } from '../../../src/providers/entra';
import { supportsDelta, supportsPassword } from '../../../src/providers/provider';
import { expectStoreEqualsTenant, harness, startEmulator, storePicture, tenantPicture, type Harness } from './helpers';

/** Full runs through the real sync engine: the store must equal the emulated tenant after mapping. */
let emu: RunningEntraEmulator;
let h: Harness | undefined;
beforeAll(async () => {
  emu = await startEmulator();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  emu.faults.reset();
});
afterAll(() => emu.close());

test('capabilities: delta always, password checks only when configured', () => {
  const config = emu.directoryConfig('corp');
  const plain = createEntraProvider(parseEntraSettings(config.entra, 'corp'));
  const withPasswords = createEntraProvider(parseEntraSettings({ ...config.entra, passwordAuthentication: true }, 'corp'));
  expect(plain.kind).toBe('entra');
  expect(supportsDelta(plain)).toBe(true);
  expect(supportsPassword(plain)).toBe(false);
  expect(supportsPassword(withPasswords)).toBe(true);
  return Promise.all([plain.close(), withPasswords.close()]);
});

test('a full sync equals the tenant: every user, group and direct membership; contacts and devices skipped', async () => {
  h = await harness(emu);
  const run = await h.full();
  expect(run.error).toBeNull();
  expect(run.status).toBe('succeeded');
  await expectStoreEqualsTenant(h, emu);
  // The tenant plants contacts and devices in some groups: none of them reaches the store.
  const planted = [...emu.state.groups.keys()].flatMap((g) => emu.nonUserMembers(g).map((m) => m.id));
  expect(planted.length).toBeGreaterThan(0);
  const state = await h.state();
  const stored = new Set([...state.users.map((u) => u.externalId), ...state.groups.map((g) => g.externalId)]);
  for (const id of planted) expect(stored.has(id)).toBe(false);
  // Disabled accounts are inactive users, guests are users too.
  const picture = storePicture(state);
  const disabled = [...emu.state.users.values()].filter((u) => !u.enabled);
  expect(disabled.length).toBeGreaterThan(0);
  for (const u of disabled) expect(picture.users.get(u.id)?.active).toBe(false);
  expect([...emu.state.users.values()].some((u) => u.guest && picture.users.get(u.id)?.attributes['userType'] === 'Guest')).toBe(true);
  // The cursor for the next incremental run was stored with the picture.
  expect(await h.store.getCursor(h.directoryId)).toMatch(/^entra1\./);
});

test.each(['delta', 'pages'] as const)('a group with thousands of members is read to the end (memberReads: %s)', async (memberReads) => {
  // delta: a long chain of delta pages (a few hundred entries each), continued with plain GETs;
  // pages: more than 999 members, so paging continues inside $batch answers.
  const own = await startEmulator({ tenant: { seed: 'entra-connector-big', users: 2_600, groups: 6, domain: 'contoso.test' } });
  const big = [...own.state.groups.values()].sort((a, b) => a.userIds.size - b.userIds.size)[0]!;
  for (const u of own.state.users.keys()) own.state.addMember(big.id, u);
  expect(big.userIds.size).toBeGreaterThan(2 * 999);
  const mine = await harness(own, { provider: { memberReads } });
  const client = (mine.provider as unknown as { client: { get(url: string): Promise<unknown> } }).client;
  const get = jest.spyOn(client, 'get');
  try {
    const run = await mine.full();
    expect(run.status).toBe('succeeded');
    // Long delta chains leave the $batch queue for plain GETs after a few pages.
    const direct = get.mock.calls.filter(([url]) => url.includes('/groups/delta?$skiptoken=')).length;
    if (memberReads === 'delta') expect(direct).toBeGreaterThan(0);
    else expect(direct).toBe(0);
    const members = [...storePicture(await mine.state()).userMemberships].filter((m) => m.endsWith(`>${big.id}`));
    expect(members.length).toBe(big.userIds.size);
    await expectStoreEqualsTenant(mine, own);
  } finally {
    await mine.close();
    await own.close();
  }
});

test('both ways of reading members give the same picture, at very different RU costs', async () => {
  h = await harness(emu, { provider: { memberReads: 'pages' } });
  expect((await h.full()).status).toBe('succeeded');
  await expectStoreEqualsTenant(h, emu);
  const pagesCost = h.provider.usage.resourceUnits;
  await h.close();
  h = await harness(emu);
  expect((await h.full()).status).toBe('succeeded');
  await expectStoreEqualsTenant(h, emu);
  expect(h.provider.usage.resourceUnits).toBeLessThan(pagesCost / 3);
});

test('members() of a group no listing planned is read on its own', async () => {
  h = await harness(emu);
  const group = [...emu.state.groups.values()].find((g) => g.userIds.size > 0)!;
  const members: string[] = [];
  for await (const m of h.provider.members({ id: group.id, name: group.name, description: group.description })) members.push(`${m.kind}:${m.id}`);
  expect(members.sort()).toEqual([...[...group.userIds].map((id) => `user:${id}`), ...[...group.groupIds].map((id) => `group:${id}`)].sort());
});

test('groupTypes: security keeps security groups only (no Microsoft 365 groups, no distribution lists)', async () => {
  h = await harness(emu, { entra: { groupTypes: 'security' } });
  const run = await h.full();
  expect(run.status).toBe('succeeded');
  const expected = tenantPicture(emu, (g) => g.securityEnabled && !g.unified);
  const actual = storePicture(await h.state());
  expect(actual.groups.size).toBeGreaterThan(0);
  expect(actual.groups.size).toBeLessThan(emu.state.groups.size);
  expect([...actual.groups.keys()].sort()).toEqual([...expected.groups.keys()].sort());
  expect([...actual.groupMemberships].sort()).toEqual([...expected.groupMemberships].sort());
  expect([...actual.userMemberships].sort()).toEqual([...expected.userMemberships].sort());
});

test('a second full run after upstream changes converges again; RU stays within the client budget', async () => {
  h = await harness(emu);
  await h.full();
  const [user] = [...emu.state.users.values()];
  emu.state.updateUser(user!.id, { displayName: 'Renamed Person', department: 'Moved' });
  const run = await h.full();
  expect(run.status).toBe('succeeded');
  expect(run.counts).toMatchObject({ usersUpdated: 1 });
  await expectStoreEqualsTenant(h, emu);
  expect(h.provider.usage.throttled).toBe(0);
});
