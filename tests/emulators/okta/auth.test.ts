/**
 * Authentication: SSWS tokens (invalid, revoked, no admin role), the OAuth service-app flow of
 * the SDK's PrivateKey mode (token endpoint, scopes, expiry and re-fetch, bad assertions), the
 * Classic Authentication API outcomes, and the control API's own token.
 */
import { randomUUID, sign } from 'node:crypto';
import { startOktaEmulator, type OAuthClientCredentials, type RunningOktaEmulator } from '../../../src/emulators/okta';
import {
  collect,
  countingExecutor,
  getJson,
  privateKeyClient,
  rejection,
  scrubOktaEnvironment,
  sswsClient,
} from './helpers';

jest.setTimeout(60_000);

let emulator: RunningOktaEmulator;

beforeAll(async () => {
  scrubOktaEnvironment();
  emulator = await startOktaEmulator({ tenant: { seed: 'okta-auth', users: 300, groups: 20 } });
});

afterAll(async () => {
  await emulator?.close();
});

const tokenCalls = (urls: string[]): number => urls.filter((u) => u.endsWith('/oauth2/v1/token')).length;

test('invalid and revoked SSWS tokens are 401 E0000011; a token without an admin role is 403 E0000006', async () => {
  const bogus = await rejection(collect(sswsClient(emulator.url, 'not-a-token').userApi.listUsers({ limit: 5 })));
  expect([bogus.status, bogus.errorCode, bogus.errorSummary]).toEqual([401, 'E0000011', 'Invalid token provided']);

  const token = emulator.createApiToken();
  const client = sswsClient(emulator.url, token);
  expect((await collect(client.groupApi.listGroups({ limit: 10_000 }))).length).toBe(21);
  emulator.revokeToken(token);
  const revoked = await rejection(collect(client.groupApi.listGroups({ limit: 10_000 })));
  expect([revoked.status, revoked.errorCode]).toEqual([401, 'E0000011']);

  const powerless = await rejection(
    collect(sswsClient(emulator.url, emulator.createApiToken('NONE')).userApi.listUsers({})),
  );
  expect([powerless.status, powerless.errorCode]).toEqual([403, 'E0000006']);

  const anonymous = await fetch(`${emulator.url}/api/v1/users`);
  expect(anonymous.status).toBe(401);
  expect(((await anonymous.json()) as { errorCode: string }).errorCode).toBe('E0000005');
  // The default token still works.
  expect((await getJson(emulator, '/api/v1/groups')).status).toBe(200);
});

test('PrivateKey mode: the SDK gets a Bearer token with private_key_jwt and lists users, groups and logs', async () => {
  const { executor, urls } = countingExecutor(0);
  const client = privateKeyClient(emulator.url, emulator.oauthClient, [...emulator.oauthScopes], executor);
  const users = await collect(client.userApi.listUsers({ search: 'status pr', limit: 200 }));
  expect(users.length).toBe(300);
  const groups = await collect(client.groupApi.listGroups({ limit: 10_000 }));
  expect(groups.length).toBe(21);
  await (await client.systemLogApi.listLogEvents({ since: new Date().toISOString() })).next();
  expect(tokenCalls(urls)).toBe(1); // one token, reused
  const config = emulator.directoryConfig('okta-oauth', 'oauth');
  expect(config).toEqual({
    name: 'okta-oauth',
    provider: 'okta',
    okta: {
      orgUrl: emulator.url,
      clientId: emulator.oauthClient.clientId,
      privateKey: emulator.oauthClient.privateKeyPem,
      keyId: emulator.oauthClient.keyId,
      scopes: ['okta.users.read', 'okta.groups.read', 'okta.logs.read'],
    },
  });
  expect(emulator.directoryConfig('okta')).toEqual({
    name: 'okta',
    provider: 'okta',
    okta: { orgUrl: emulator.url, apiToken: emulator.apiToken },
  });
});

test('scopes: asking for an ungranted scope is 400 invalid_scope; calling outside the token scopes is 403 E0000006', async () => {
  const usersOnly = emulator.createOAuthClient(['okta.users.read']);
  const { executor, responses } = countingExecutor(0);
  const greedy = await rejection(
    collect(
      privateKeyClient(emulator.url, usersOnly, ['okta.users.read', 'okta.groups.read'], executor).userApi.listUsers(
        {},
      ),
    ),
  );
  // SDK 8.1 quirk: oauth.js calls `Http.errorFilter` on the module object (undefined), so a token
  // error is not thrown; the SDK sends "Bearer undefined", gets 401, re-fetches once, and fails 401.
  expect(responses.map((r) => r.replace(emulator.url, ''))).toEqual([
    '400 /oauth2/v1/token',
    '401 /api/v1/users',
    '400 /oauth2/v1/token',
    '401 /api/v1/users',
  ]);
  expect([greedy.status, greedy.errorCode]).toEqual([401, 'E0000011']);
  const raw = await fetch(`${emulator.url}/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=okta.users.read',
  });
  expect(raw.status).toBe(401);
  expect(((await raw.json()) as { error: string }).error).toBe('invalid_client');

  const client = privateKeyClient(emulator.url, usersOnly, ['okta.users.read']);
  expect((await collect(client.userApi.listUsers({ limit: 200 }))).length).toBeGreaterThan(0);
  const denied = await rejection(collect(client.groupApi.listGroups({})));
  expect([denied.status, denied.errorCode]).toEqual([403, 'E0000006']);
  expect(denied.headers.get('www-authenticate')).toContain('insufficient_scope');
});

/** A private_key_jwt client assertion as the SDK makes it, with overridable claims. */
function assertion(app: OAuthClientCredentials, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode({ typ: 'JWT', alg: 'RS256', kid: app.keyId })}.${encode({
    aud: `${emulator.url}/oauth2/v1/token`,
    iss: app.clientId,
    sub: app.clientId,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    ...claims,
  })}`;
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), app.privateKeyPem).toString('base64url')}`;
}

async function token(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('token endpoint contract: scopes, replayed and expired assertions, grant types', async () => {
  const app = emulator.createOAuthClient(['okta.users.read']);
  const base = {
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  };
  const ok = await token({ ...base, scope: 'okta.users.read', client_assertion: assertion(app) });
  expect(ok).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 3600, scope: 'okta.users.read' } });
  expect((await getJson(emulator, '/api/v1/users?limit=1', 'x')).status).toBe(401);
  const bearer = await fetch(`${emulator.url}/api/v1/users?limit=1`, {
    headers: { Authorization: `Bearer ${ok.body.access_token as string}` },
  });
  expect(bearer.status).toBe(200);

  const ungranted = await token({ ...base, scope: 'okta.users.read okta.logs.read', client_assertion: assertion(app) });
  expect(ungranted).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  expect((await token({ ...base, client_assertion: assertion(app) })).body.error).toBe('invalid_scope');
  const once = assertion(app);
  expect((await token({ ...base, scope: 'okta.users.read', client_assertion: once })).status).toBe(200);
  expect(await token({ ...base, scope: 'okta.users.read', client_assertion: once })).toMatchObject({
    status: 401,
    body: { error: 'invalid_client' },
  });
  const stale = assertion(app, { exp: Math.floor(Date.now() / 1000) - 60 });
  expect((await token({ ...base, scope: 'okta.users.read', client_assertion: stale })).body.error).toBe(
    'invalid_client',
  );
  const tooLong = assertion(app, { exp: Math.floor(Date.now() / 1000) + 7200 });
  expect((await token({ ...base, scope: 'okta.users.read', client_assertion: tooLong })).body.error).toBe(
    'invalid_client',
  );
  const wrongSubject = assertion(app, { sub: 'someone-else' });
  expect((await token({ ...base, scope: 'okta.users.read', client_assertion: wrongSubject })).body.error).toBe(
    'invalid_client',
  );
  expect(
    (await token({ ...base, grant_type: 'password', scope: 'okta.users.read', client_assertion: assertion(app) })).body
      .error,
  ).toBe('unsupported_grant_type');
});

test('an assertion signed with another key, or for another audience, is rejected with invalid_client', async () => {
  const other = emulator.createOAuthClient(['okta.users.read']);
  const forged = { ...emulator.oauthClient, privateKeyPem: other.privateKeyPem, keyId: emulator.oauthClient.keyId };
  const error = await rejection(
    collect(privateKeyClient(emulator.url, forged, ['okta.users.read']).userApi.listUsers({})),
  );
  expect(error.status).toBe(401);
  // The SDK's audience is `${baseUrl}/oauth2/v1/token`; a client pointed at another host name
  // (localhost) for the same server signs a different audience.
  const elsewhere = privateKeyClient(emulator.url.replace('127.0.0.1', 'localhost'), emulator.oauthClient, [
    'okta.users.read',
  ]);
  const audience = await rejection(collect(elsewhere.userApi.listUsers({})));
  expect(audience.status).toBe(401);
});

test('expired access tokens get 401 and the SDK fetches a new one; revokeTokensBefore does the same', async () => {
  const short = await startOktaEmulator({
    tenant: { seed: 'okta-auth-short', users: 20, groups: 3 },
    faults: { tokenLifetimeSeconds: 1 },
  });
  try {
    const { executor, urls } = countingExecutor(0);
    const client = privateKeyClient(short.url, short.oauthClient, ['okta.users.read'], executor);
    expect((await collect(client.userApi.listUsers({}))).length).toBeGreaterThan(0);
    expect(tokenCalls(urls)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await collect(client.userApi.listUsers({}))).length).toBeGreaterThan(0);
    expect(tokenCalls(urls)).toBe(2);
    const before = urls.length;
    short.faults.update({ tokenLifetimeSeconds: null, revokeTokensBefore: Date.now() + 1 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await collect(client.userApi.listUsers({}))).length).toBeGreaterThan(0);
    // 401 with the old token, a new token, the retried call.
    expect(urls.slice(before).map((u) => (u.endsWith('/oauth2/v1/token') ? 'token' : 'api'))).toEqual([
      'api',
      'token',
      'api',
    ]);
  } finally {
    await short.close();
  }
});

async function authn(username: string, password: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/api/v1/authn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      username,
      password,
      options: { multiOptionalFactorEnroll: false, warnBeforePasswordExpired: false },
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('authn: SUCCESS, LOCKED_OUT, PASSWORD_EXPIRED, MFA_REQUIRED and wrong password', async () => {
  const active = [...emulator.directory.users.values()].filter((u) => u.status === 'ACTIVE');
  const [a, b, c, d] = active;
  for (const u of [a, b, c, d]) emulator.setUserPassword(u!.id, 'Correct horse 1');
  emulator.setAuthnOutcome(b!.tenantId, 'LOCKED_OUT');
  emulator.setAuthnOutcome(c!.id, 'PASSWORD_EXPIRED');
  emulator.setAuthnOutcome(d!.id, 'MFA_REQUIRED');

  const ok = await authn(a!.profile.login.toUpperCase(), 'Correct horse 1');
  expect(ok.status).toBe(200);
  expect(ok.body.status).toBe('SUCCESS');
  expect(typeof ok.body.sessionToken).toBe('string');
  expect((ok.body._embedded as { user: { id: string } }).user.id).toBe(a!.id);

  const wrong = await authn(a!.profile.login, 'wrong');
  expect(wrong.status).toBe(401);
  expect(wrong.body).toMatchObject({ errorCode: 'E0000004', errorSummary: 'Authentication failed' });
  const unknown = await authn('nobody@nowhere.test', 'Correct horse 1');
  expect(unknown.status).toBe(401);

  const locked = await authn(b!.profile.login, 'anything');
  expect([locked.status, locked.body.status]).toEqual([200, 'LOCKED_OUT']);
  const expired = await authn(c!.profile.login, 'Correct horse 1');
  expect([expired.status, expired.body.status, typeof expired.body.stateToken]).toEqual([
    200,
    'PASSWORD_EXPIRED',
    'string',
  ]);
  const mfa = await authn(d!.profile.login, 'Correct horse 1');
  expect([mfa.status, mfa.body.status]).toEqual([200, 'MFA_REQUIRED']);
  expect((mfa.body._embedded as { factors: unknown[] }).factors.length).toBe(1);
  expect(await authn(d!.profile.login, 'wrong')).toMatchObject({ status: 401 });

  const suspended = [...emulator.directory.users.values()].find((u) => u.status === 'SUSPENDED')!;
  emulator.setUserPassword(suspended.id, 'pw');
  expect((await authn(suspended.profile.login, 'pw')).status).toBe(401);
  const lockedUser = [...emulator.directory.users.values()].find((u) => u.status === 'LOCKED_OUT')!;
  expect((await authn(lockedUser.profile.login, 'whatever')).body.status).toBe('LOCKED_OUT');
});

test('the control API requires its own token', async () => {
  const denied = await fetch(`${emulator.url}/_emulator/state`, {
    headers: { Authorization: `SSWS ${emulator.apiToken}` },
  });
  expect(denied.status).toBe(401);
  const state = await fetch(`${emulator.url}/_emulator/state`, {
    headers: { Authorization: `Bearer ${emulator.controlToken}` },
  });
  expect(await state.json()).toMatchObject({ users: 300, groups: 20 });
});
