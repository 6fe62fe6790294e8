import type { RunningEntraEmulator } from '../../../src/emulators/entra';
import { accessToken, closeAll, credentialFor, graphClient, graphError, raw, startSmall } from './helpers';

/** Graph error bodies and the permission model, checked on the wire and through the Graph client. */
let emu: RunningEntraEmulator;
let token: string;
beforeAll(async () => {
  emu = await startSmall();
  token = await accessToken(emu);
});
afterAll(() => closeAll(emu));

async function postToken(clientId: string, secret: string): Promise<string> {
  const r = await raw(emu, `/${emu.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
      scope: 'https://graph.microsoft.com/.default',
    }).toString(),
  });
  expect(r.status).toBe(200);
  expect(r.json).toMatchObject({
    token_type: 'Bearer',
    expires_in: expect.any(Number),
    ext_expires_in: expect.any(Number),
  });
  return (r.json as { access_token: string }).access_token;
}

describe('401 InvalidAuthenticationToken', () => {
  test('missing, malformed and tampered tokens; error body shape and ids', async () => {
    const missing = await raw(emu, '/v1.0/users', { headers: { 'client-request-id': 'my-correlation' } });
    expect(missing.status).toBe(401);
    const error = graphError(missing.json);
    expect(error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
    expect(error.innerError['client-request-id']).toBe('my-correlation');
    expect(error.innerError['request-id']).toBe(missing.headers.get('request-id'));
    expect(error.innerError['date']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(graphError((await raw(emu, '/v1.0/users', { token: 'garbage' })).json).code).toBe(
      'InvalidAuthenticationToken',
    );
    const [h, b] = token.split('.');
    const tampered = await raw(emu, '/v1.0/users', { token: `${h}.${b}.AAAA` });
    expect(tampered.status).toBe(401);
    expect(graphError(tampered.json).message).toBe('Access token validation failure.');
  });

  test('expired (tokenLifetimeSeconds) and revoked (revokeTokensBefore) tokens', async () => {
    emu.faults.update({ tokenLifetimeSeconds: 1 });
    const short = await postToken(emu.clientId, emu.clientSecret);
    expect((await raw(emu, '/v1.0/users?$top=1', { token: short })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const expired = await raw(emu, '/v1.0/users?$top=1', { token: short });
    expect(expired.status).toBe(401);
    expect(graphError(expired.json).message).toMatch(/expired/);
    emu.faults.update({ tokenLifetimeSeconds: null });

    const before = await postToken(emu.clientId, emu.clientSecret);
    emu.faults.update({ revokeTokensBefore: Date.now() + 1 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await raw(emu, '/v1.0/users?$top=1', { token: before })).status).toBe(401);
    expect(
      (await raw(emu, '/v1.0/users?$top=1', { token: await postToken(emu.clientId, emu.clientSecret) })).status,
    ).toBe(200);
    emu.faults.update({ revokeTokensBefore: null });
  });
});

describe('403 Authorization_RequestDenied per permission', () => {
  const group = (): string => [...emu.state.groups.values()].find((g) => g.userIds.size > 0)!.id;

  test.each([
    [['User.Read.All'], { users: 200, groups: 403, members: 403, delta: 403 }],
    [['GroupMember.Read.All'], { users: 403, groups: 200, members: 200, delta: 200 }],
    [['Group.Read.All'], { users: 403, groups: 200, members: 200, delta: 200 }],
    [['Directory.Read.All'], { users: 200, groups: 200, members: 200, delta: 200 }],
    [[], { users: 403, groups: 403, members: 403, delta: 403 }],
  ])('app granted %j', async (permissions, expected) => {
    const app = emu.registerApplication({ permissions });
    const t = await postToken(app.clientId, app.clientSecret as string);
    const status = async (path: string): Promise<number> => {
      const r = await raw(emu, path, { token: t });
      if (r.status === 403)
        expect(graphError(r.json)).toMatchObject({
          code: 'Authorization_RequestDenied',
          message: 'Insufficient privileges to complete the operation.',
        });
      return r.status;
    };
    expect({
      users: await status('/v1.0/users?$top=1'),
      groups: await status('/v1.0/groups?$top=1'),
      members: await status(`/v1.0/groups/${group()}/members`),
      delta: await status('/v1.0/groups/delta?$select=displayName'),
    }).toEqual(expected);
  });

  test('grantPermissions applies to tokens issued afterwards; the Graph client surfaces 403', async () => {
    const app = emu.registerApplication({ permissions: ['User.Read.All'] });
    const client = graphClient(emu, credentialFor(emu, app.clientId, app.clientSecret as string));
    await expect(client.api('/groups').get()).rejects.toMatchObject({
      statusCode: 403,
      code: 'Authorization_RequestDenied',
    });
    emu.grantPermissions(app.clientId, ['Group.Read.All']);
    const fresh = await postToken(app.clientId, app.clientSecret as string);
    expect((await raw(emu, '/v1.0/groups?$top=1', { token: fresh })).status).toBe(200);
  });

  test('Directory.Read.All reveals contact and device members in full', async () => {
    const app = emu.registerApplication({ permissions: ['Directory.Read.All'] });
    const t = await postToken(app.clientId, app.clientSecret as string);
    const withContacts = [...emu.state.groups.keys()].find((id) => emu.nonUserMembers(id).length > 0)!;
    const r = await raw(emu, `/v1.0/groups/${withContacts}/members?$top=999`, { token: t });
    const extras = (r.json as { value: { '@odata.type': string; displayName: string | null }[] }).value.filter(
      (m) => !/user|group/.test(m['@odata.type']),
    );
    expect(extras.length).toBe(emu.nonUserMembers(withContacts).length);
    expect(extras.every((m) => typeof m.displayName === 'string')).toBe(true);
  });
});

describe('400 / 404 bodies', () => {
  test('$top=1000 gives Graph’s exact error; $top=999 is fine', async () => {
    const bad = await raw(emu, '/v1.0/users?$top=1000', { token });
    expect(bad.status).toBe(400);
    expect(graphError(bad.json)).toMatchObject({
      code: 'Request_UnsupportedQuery',
      message: "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
    });
    expect((await raw(emu, '/v1.0/users?$top=0', { token })).status).toBe(400);
    expect((await raw(emu, '/v1.0/groups?$top=999', { token })).status).toBe(200);
    await expect(graphClient(emu).api('/users').top(1000).get()).rejects.toMatchObject({
      statusCode: 400,
      code: 'Request_UnsupportedQuery',
    });
  });

  test('unknown object → 404 Request_ResourceNotFound; unknown property, $skip, bad filter → 400', async () => {
    const missing = await raw(emu, '/v1.0/users/00000000-0000-4000-8000-000000000000', { token });
    expect(missing.status).toBe(404);
    expect(graphError(missing.json).code).toBe('Request_ResourceNotFound');
    expect((await raw(emu, '/v1.0/groups/nope/members', { token })).status).toBe(404);
    const select = await raw(emu, '/v1.0/users?$select=shoeSize', { token });
    expect(select.status).toBe(400);
    expect(graphError(select.json).message).toBe(
      "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.",
    );
    expect((await raw(emu, '/v1.0/users?$skip=10', { token })).status).toBe(400);
    expect((await raw(emu, `/v1.0/users?$filter=${encodeURIComponent('displayName eq')}`, { token })).status).toBe(400);
    expect(
      (await raw(emu, `/v1.0/users?$filter=${encodeURIComponent("department eq 'Sales'")}`, { token })).status,
    ).toBe(400);
    expect((await raw(emu, '/v1.0/servicePrincipals', { token })).status).toBe(400);
    // App registrations need Application.Read.All, which the default app is not granted.
    expect((await raw(emu, '/v1.0/applications', { token })).status).toBe(403);
    expect((await raw(emu, '/v1.0/users', { token, method: 'DELETE' })).status).toBe(405);
  });
});

test('faults.intercept applies to Graph and identity but not to the control API', async () => {
  emu.faults.update({ serverErrorRate: 1 });
  try {
    expect((await raw(emu, '/v1.0/users', { token })).status).toBe(503);
    expect((await raw(emu, `/${emu.tenantId}/v2.0/.well-known/openid-configuration`)).status).toBe(503);
    expect(
      (await raw(emu, '/_emulator/state', { headers: { Authorization: `Bearer ${emu.controlToken}` } })).status,
    ).toBe(200);
  } finally {
    emu.faults.update({ serverErrorRate: 0 });
  }
  expect((await raw(emu, '/v1.0/users?$top=1', { token })).status).toBe(200);
});

describe('/applications (app registrations, for the secret-expiry check)', () => {
  test('with Application.Read.All: only the appId filter, the secrets’ hint and end date, never the secret', async () => {
    const emu = await startSmall();
    try {
      const expires = new Date('2031-02-03T04:05:06.000Z');
      const app = emu.registerApplication({ secretExpiresAt: expires, permissions: ['Application.Read.All'] });
      const token = await accessToken(emu, credentialFor(emu, app.clientId, app.clientSecret!));
      const filter = encodeURIComponent(`appId eq '${app.clientId}'`);
      const found = await raw(emu, `/v1.0/applications?$filter=${filter}&$select=appId,passwordCredentials`, { token });
      expect(found.status).toBe(200);
      expect((found.json as { value: unknown[] }).value).toEqual([
        expect.objectContaining({
          appId: app.clientId,
          passwordCredentials: [{ hint: app.clientSecret!.slice(0, 3), endDateTime: expires.toISOString() }],
        }),
      ]);
      expect(found.text).not.toContain(app.clientSecret!);
      expect((await raw(emu, '/v1.0/applications', { token })).status).toBe(400);
    } finally {
      await emu.close();
    }
  });
});
