import { connectorTest } from '../connector-harness';
import { okta, orgPicture, storePicture } from './subject';

/** Okta listings through the real sync engine: statuses, group types, page sizes, the SDK's configuration kept out. */
const t = connectorTest(okta);

test.each(['ssws', 'oauth'] as const)(
  'a full sync (%s) equals the org: every user of every status, group and membership',
  async (auth) => {
    const h = await t.harness({ provider: { auth } });
    const run = await h.full();
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    await t.expectStoreEqualsTenant(h);
    const emu = t.emu;
    const picture = storePicture(await h.state());
    // DEPROVISIONED and SUSPENDED users are inactive users, not missing ones.
    for (const status of ['DEPROVISIONED', 'SUSPENDED', 'LOCKED_OUT', 'STAGED', 'PROVISIONED']) {
      const users = [...emu.directory.users.values()].filter((u) => u.status === status);
      if (status === 'DEPROVISIONED' || status === 'SUSPENDED') expect(users.length).toBeGreaterThan(0);
      for (const u of users) expect(picture.users.get(u.id)?.active).toBe(false);
    }
    const expired = [...emu.directory.users.values()].filter((u) => u.status === 'PASSWORD_EXPIRED');
    for (const u of expired) expect(picture.users.get(u.id)?.active).toBe(true);
    // Guests carry userType Guest; APP_GROUPs and Everyone are groups too.
    expect([...picture.users.values()].some((u) => u.userType === 'Guest')).toBe(true);
    const types = new Set(
      [...emu.directory.groups.values()].filter((g) => picture.groups.has(g.id)).map((g) => g.type),
    );
    expect(types).toEqual(new Set(['OKTA_GROUP', 'APP_GROUP', 'BUILT_IN']));
    // Page sizes: the maxima (users 200, groups 10000, members 1000) — 300 users fit in 2 pages.
    expect(h.provider.usage().get('users')?.calls).toBe(2);
    expect(h.provider.usage().get('groups')?.calls).toBe(1 + emu.directory.groups.size);
  },
);

test('groupTypes and userStatuses narrow the picture', async () => {
  const h = await t.harness({ settings: { groupTypes: ['OKTA_GROUP'], userStatuses: ['ACTIVE', 'PASSWORD_EXPIRED'] } });
  const emu = t.emu;
  const run = await h.full();
  expect(run.status).toBe('succeeded');
  const actual = storePicture(await h.state());
  const expected = orgPicture(emu, (type) => type === 'OKTA_GROUP');
  expect([...actual.groups.keys()].sort()).toEqual([...expected.groups.keys()].sort());
  const kept = new Set(
    [...emu.directory.users.values()]
      .filter((u) => u.status === 'ACTIVE' || u.status === 'PASSWORD_EXPIRED')
      .map((u) => u.id),
  );
  expect([...actual.users.keys()].sort()).toEqual([...kept].sort());
  expect([...actual.userMemberships].sort()).toEqual(
    [...expected.userMemberships].filter((m) => kept.has(m.split('>')[0]!)).sort(),
  );
});

test('the SDK reads no configuration from the environment', async () => {
  process.env['OKTA_CLIENT_ORGURL'] = 'http://127.0.0.1:1';
  process.env['OKTA_CLIENT_TOKEN'] = 'wrong-token';
  process.env['OKTA_CLIENT_AUTHORIZATIONMODE'] = 'PrivateKey';
  process.env['https_proxy'] = 'http://127.0.0.1:1';
  try {
    const h = await t.harness();
    const run = await h.full();
    expect(run.error).toBeNull();
    await t.expectStoreEqualsTenant(h);
    expect([...h.provider.usage().values()].reduce((n, b) => n + b.throttled, 0)).toBe(0);
  } finally {
    for (const name of ['OKTA_CLIENT_ORGURL', 'OKTA_CLIENT_TOKEN', 'OKTA_CLIENT_AUTHORIZATIONMODE', 'https_proxy'])
      delete process.env[name];
  }
});

test('the registry opens an okta directory with this connector', async () => {
  const { openProvider } = await import('../../../src/providers/registry');
  const handle = await openProvider({ ...t.emu.directoryConfig('corp') } as unknown as Parameters<
    typeof openProvider
  >[0]);
  try {
    expect(handle.provider.kind).toBe('okta');
    expect((await handle.provider.checkAccess()).ok).toBe(true);
  } finally {
    await handle.close();
  }
});

test('an OAuth app whose token request is refused fails the run naming the reason, not "401 Bearer undefined"', async () => {
  const emu = t.emu;
  const app = emu.createOAuthClient(['okta.users.read']);
  const h = await t.harness({
    settings: { orgUrl: emu.orgUrl, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId },
    provider: { auth: 'oauth' },
  });
  const run = await h.full();
  expect(run.status).toBe('failed');
  expect(run.error).toMatch(
    /^okta directory corp: Okta refused the requested scopes okta.users.read okta.groups.read okta.logs.read \(invalid_scope/,
  );
});
