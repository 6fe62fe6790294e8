import { connectorTest, storePicture } from '../connector-harness';
import { entra, startEmulator, tenantPicture } from './subject';

/** Entra listings through the real sync engine: what Graph lists that is not synced, members read by $batch, delta rounds or pages. */
const t = connectorTest(entra);

test('contacts and devices are skipped, disabled accounts are inactive users, guests are users; no 429 at the client budget', async () => {
  const h = await t.harness();
  expect((await h.full()).status).toBe('succeeded');
  const emu = t.emu;
  // The tenant plants contacts and devices in some groups: none of them reaches the store.
  const planted = [...emu.state.groups.keys()].flatMap((g) => emu.nonUserMembers(g).map((m) => m.id));
  expect(planted.length).toBeGreaterThan(0);
  const state = await h.state();
  const stored = new Set([...state.users.map((u) => u.externalId), ...state.groups.map((g) => g.externalId)]);
  for (const id of planted) expect(stored.has(id)).toBe(false);
  const picture = storePicture(state);
  const disabled = [...emu.state.users.values()].filter((u) => !u.enabled);
  expect(disabled.length).toBeGreaterThan(0);
  for (const u of disabled) expect(picture.users.get(u.id)?.active).toBe(false);
  expect(
    [...emu.state.users.values()].some((u) => u.guest && picture.users.get(u.id)?.attributes['userType'] === 'Guest'),
  ).toBe(true);
  expect(h.provider.usage.throttled).toBe(0);
});

test.each(['delta', 'pages'] as const)(
  'a group with thousands of members is read to the end (memberReads: %s)',
  async (memberReads) => {
    // delta: a long chain of delta pages (a few hundred entries each), continued with plain GETs;
    // pages: more than 999 members, so paging continues inside $batch answers.
    const own = await startEmulator({
      tenant: { seed: 'entra-connector-big', users: 2_600, groups: 6, domain: 'contoso.test' },
    });
    try {
      const big = [...own.state.groups.values()].sort((a, b) => a.userIds.size - b.userIds.size)[0]!;
      for (const u of own.state.users.keys()) own.state.addMember(big.id, u);
      expect(big.userIds.size).toBeGreaterThan(2 * 999);
      const mine = await t.harness({ provider: { memberReads } }, own);
      const client = (mine.provider as unknown as { client: { get(url: string): Promise<unknown> } }).client;
      const get = jest.spyOn(client, 'get');
      const run = await mine.full();
      expect(run.status).toBe('succeeded');
      // Long delta chains leave the $batch queue for plain GETs after a few pages.
      const direct = get.mock.calls.filter(([url]) => url.includes('/groups/delta?$skiptoken=')).length;
      if (memberReads === 'delta') expect(direct).toBeGreaterThan(0);
      else expect(direct).toBe(0);
      const members = [...storePicture(await mine.state()).userMemberships].filter((m) => m.endsWith(`>${big.id}`));
      expect(members.length).toBe(big.userIds.size);
      await t.expectStoreEqualsTenant(mine, own);
    } finally {
      await own.close();
    }
  },
);

test('both ways of reading members give the same picture, at very different RU costs', async () => {
  const pages = await t.harness({ provider: { memberReads: 'pages' } });
  expect((await pages.full()).status).toBe('succeeded');
  await t.expectStoreEqualsTenant(pages);
  const h = await t.harness();
  expect((await h.full()).status).toBe('succeeded');
  await t.expectStoreEqualsTenant(h);
  expect(h.provider.usage.resourceUnits).toBeLessThan(pages.provider.usage.resourceUnits / 3);
});

test('members() of a group no listing planned is read on its own', async () => {
  const h = await t.harness();
  const group = [...t.emu.state.groups.values()].find((g) => g.userIds.size > 0)!;
  const members: string[] = [];
  for await (const m of h.provider.members({ id: group.id, name: group.name, description: group.description }))
    members.push(`${m.kind}:${m.id}`);
  expect(members.sort()).toEqual(
    [...[...group.userIds].map((id) => `user:${id}`), ...[...group.groupIds].map((id) => `group:${id}`)].sort(),
  );
});

test('groupTypes: security keeps security groups only (no Microsoft 365 groups, no distribution lists)', async () => {
  const h = await t.harness({ settings: { groupTypes: 'security' } });
  const run = await h.full();
  expect(run.status).toBe('succeeded');
  const expected = tenantPicture(t.emu, (g) => g.securityEnabled && !g.unified);
  const actual = storePicture(await h.state());
  expect(actual.groups.size).toBeGreaterThan(0);
  expect(actual.groups.size).toBeLessThan(t.emu.state.groups.size);
  expect([...actual.groups.keys()].sort()).toEqual([...expected.groups.keys()].sort());
  expect([...actual.groupMemberships].sort()).toEqual([...expected.groupMemberships].sort());
  expect([...actual.userMemberships].sort()).toEqual([...expected.userMemberships].sort());
});
