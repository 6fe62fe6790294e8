import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { google } from 'googleapis';
import { DIRECTORY_SCOPES, READONLY_SYNC_SCOPES, type RunningGoogleEmulator } from '../../../src/emulators/google';
import { adminClient, caught, firstReason, loopbackJwt, sleep, startEmulator, wireLoopback } from './helpers';

/**
 * The JWT-bearer token flow and access-token checks, each error in Google's exact shape, driven
 * by google.auth.JWT (the token POST is the library's own; only its URL is redirected).
 */

let emu: RunningGoogleEmulator;

beforeAll(async () => {
  emu = await startEmulator({ tenant: { seed: 'google-auth', users: 200, groups: 20 } });
});
afterAll(() => emu.close());
afterEach(() => emu.faults.reset());

test('the key file is a Google service-account key and directoryConfig points at the emulator', () => {
  const key = JSON.parse(readFileSync(emu.keyFile, 'utf8')) as Record<string, string>;
  expect(key).toEqual(emu.serviceAccountKey);
  expect(Object.keys(key).sort()).toEqual(
    [
      'auth_provider_x509_cert_url',
      'auth_uri',
      'client_email',
      'client_id',
      'client_x509_cert_url',
      'private_key',
      'private_key_id',
      'project_id',
      'token_uri',
      'type',
      'universe_domain',
    ].sort(),
  );
  expect(key.type).toBe('service_account');
  expect(key.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  expect(key.client_email).toMatch(/@.+\.iam\.gserviceaccount\.com$/);
  expect(key.client_id).toMatch(/^\d{21}$/);
  expect(key.private_key_id).toMatch(/^[0-9a-f]{40}$/);
  expect(emu.directoryConfig('gw')).toEqual({
    name: 'gw',
    provider: 'google',
    google: {
      domain: emu.domain,
      customerId: emu.customerId,
      serviceAccountKeyFile: emu.keyFile,
      adminEmail: emu.adminEmail,
      tokenUrl: `${emu.url}/token`,
      rootUrl: `${emu.url}/`,
    },
  });
});

test('a delegated JWT gets a Bearer token of the default one-hour lifetime and can list users', async () => {
  const auth = loopbackJwt(emu);
  const before = emu.stats.tokensIssued;
  const { token } = await auth.getAccessToken();
  expect(token).toMatch(/^ya29\./);
  expect(emu.stats.tokensIssued).toBe(before + 1);
  expect((auth.credentials.expiry_date ?? 0) - Date.now()).toBeGreaterThan(3500_000);
  const res = await adminClient(emu, auth).users.list({ customer: 'my_customer', maxResults: 1 });
  expect(res.data.users).toHaveLength(1);
});

test('GoogleAuth with credentials + clientOptions.subject works too', async () => {
  const auth = new google.auth.GoogleAuth({
    credentials: emu.serviceAccountKey,
    scopes: [...READONLY_SYNC_SCOPES],
    clientOptions: { subject: emu.adminEmail },
  });
  const client = wireLoopback(emu, (await auth.getClient()) as InstanceType<typeof google.auth.JWT>);
  const res = await google
    .admin({ version: 'directory_v1', auth: client, rootUrl: emu.rootUrl })
    .groups.list({ customer: 'my_customer' });
  expect(res.data.groups?.length).toBeGreaterThan(0);
});

test('a key the account does not have → invalid_grant "Invalid JWT Signature."', async () => {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const err = await caught(loopbackJwt(emu, { key: privateKey }).authorize());
  expect(err.status).toBe(400);
  expect(err.data).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
  expect(err.message).toBe('invalid_grant: Invalid JWT Signature.');
});

test('an unknown service account → invalid_grant "Invalid grant: account not found"', async () => {
  const err = await caught(loopbackJwt(emu, { email: 'someone@else.iam.gserviceaccount.com' }).authorize());
  expect(err.data).toEqual({ error: 'invalid_grant', error_description: 'Invalid grant: account not found' });
});

test('delegation missing for one scope → 401 unauthorized_client; restored → works', async () => {
  const clientId = emu.serviceAccountKey.client_id;
  emu.revokeDelegation(clientId, [DIRECTORY_SCOPES.groupMemberReadonly]);
  try {
    const err = await caught(loopbackJwt(emu).authorize());
    expect(err.status).toBe(401);
    expect(err.data).toEqual({
      error: 'unauthorized_client',
      error_description:
        'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
    });
    // The two scopes still delegated are fine on their own.
    await expect(
      loopbackJwt(emu, { scopes: [DIRECTORY_SCOPES.userReadonly, DIRECTORY_SCOPES.groupReadonly] }).authorize(),
    ).resolves.toBeDefined();
  } finally {
    emu.grantDelegation(clientId, [DIRECTORY_SCOPES.groupMemberReadonly]);
  }
  await expect(loopbackJwt(emu).authorize()).resolves.toBeDefined();
  // A write scope was never delegated.
  const write = await caught(loopbackJwt(emu, { scopes: [DIRECTORY_SCOPES.user] }).authorize());
  expect(write.data).toMatchObject({ error: 'unauthorized_client' });
});

test('an unknown (or suspended) admin → invalid_grant "Invalid email or User ID"', async () => {
  const err = await caught(loopbackJwt(emu, { subject: `nobody@${emu.domain}` }).authorize());
  expect(err.status).toBe(400);
  expect(err.data).toEqual({ error: 'invalid_grant', error_description: 'Invalid email or User ID' });
  const suspended = [...emu.state.users.values()].find((u) => !u.enabled && !u.guest);
  const err2 = await caught(loopbackJwt(emu, { subject: suspended?.login as string }).authorize());
  expect(err2.data).toEqual({ error: 'invalid_grant', error_description: 'Invalid email or User ID' });
});

test('wrong audience and stale iat/exp are refused like Google does', async () => {
  const aud = await caught(loopbackJwt(emu, { additionalClaims: { aud: emu.tokenUrl } }).authorize());
  expect(aud.data).toEqual({
    error: 'invalid_grant',
    error_description: 'Invalid JWT: Failed audience check. The right audience is https://oauth2.googleapis.com/token',
  });
  const iat = Math.floor(Date.now() / 1000) - 7200;
  const stale = await caught(loopbackJwt(emu, { additionalClaims: { iat, exp: iat + 3600 } }).authorize());
  expect(stale.data).toMatchObject({ error: 'invalid_grant' });
  expect((stale.data as { error_description: string }).error_description).toMatch(
    /^Invalid JWT: Token must be a short-lived token \(60 minutes\)/,
  );
});

test('a non-admin subject gets a token, then 403 "Not Authorized to access this resource/api" on every call', async () => {
  expect(emu.nonAdminEmail).not.toBeNull();
  const admin = adminClient(emu, loopbackJwt(emu, { subject: emu.nonAdminEmail }));
  for (const call of [
    admin.users.list({ customer: 'my_customer' }),
    admin.groups.list({ customer: 'my_customer' }),
    admin.users.get({ userKey: emu.adminEmail }),
  ]) {
    const err = await caught(call);
    expect(err.status).toBe(403);
    expect(firstReason(err.data)).toEqual({
      code: 403,
      message: 'Not Authorized to access this resource/api',
      reason: 'forbidden',
      domain: 'global',
      status: 'PERMISSION_DENIED',
    });
  }
  // No subject at all (the service account as itself): same answer.
  const self = await caught(
    adminClient(emu, loopbackJwt(emu, { subject: null })).users.list({ customer: 'my_customer' }),
  );
  expect(self.status).toBe(403);
});

test('a token without the method scope → 403 insufficientPermissions', async () => {
  const admin = adminClient(emu, loopbackJwt(emu, { scopes: [DIRECTORY_SCOPES.userReadonly] }));
  await expect(admin.users.list({ customer: 'my_customer', maxResults: 1 })).resolves.toBeDefined();
  const err = await caught(admin.groups.list({ customer: 'my_customer' }));
  expect(err.status).toBe(403);
  expect(firstReason(err.data)).toMatchObject({
    reason: 'insufficientPermissions',
    message: 'Request had insufficient authentication scopes.',
  });
});

test('revoked tokens → 401 authError; neither plain retry nor forceRefreshOnFailure gets a new token, a new JWT does', async () => {
  const plain = loopbackJwt(emu);
  const forcing = loopbackJwt(emu, { forceRefreshOnFailure: true });
  await adminClient(emu, plain).users.list({ customer: 'my_customer', maxResults: 1 });
  await adminClient(emu, forcing).users.list({ customer: 'my_customer', maxResults: 1 });
  emu.faults.update({ revokeTokensBefore: Date.now() + 1 });
  await sleep(5);
  const issued = emu.stats.tokensIssued;
  let requests = emu.stats.apiRequests;
  const err = await caught(adminClient(emu, plain).users.list({ customer: 'my_customer', maxResults: 1 }));
  expect(err.status).toBe(401);
  expect(firstReason(err.data)).toMatchObject({ reason: 'authError', status: 'UNAUTHENTICATED', domain: 'global' });
  expect(emu.stats.apiRequests).toBe(requests + 1);
  // forceRefreshOnFailure re-sends once, but gtoken hands back its cached (unexpired) token.
  requests = emu.stats.apiRequests;
  expect((await caught(adminClient(emu, forcing).users.list({ customer: 'my_customer', maxResults: 1 }))).status).toBe(
    401,
  );
  expect(emu.stats.apiRequests).toBe(requests + 2);
  expect(emu.stats.tokensIssued).toBe(issued);
  // What recovers: a fresh JWT client (new token).
  const res = await adminClient(emu, loopbackJwt(emu)).users.list({ customer: 'my_customer', maxResults: 1 });
  expect(res.status).toBe(200);
  expect(emu.stats.tokensIssued).toBe(issued + 1);
});

test('tokenLifetimeSeconds: a token expires on the server after its lifetime', async () => {
  emu.faults.update({ tokenLifetimeSeconds: 1 });
  const auth = loopbackJwt(emu);
  const { token } = await auth.getAccessToken();
  expect((auth.credentials.expiry_date ?? 0) - Date.now()).toBeLessThanOrEqual(1000);
  const raw = wireLoopback(emu, new google.auth.OAuth2({ credentials: { access_token: token as string } }));
  await expect(adminClient(emu, raw).users.list({ customer: 'my_customer', maxResults: 1 })).resolves.toBeDefined();
  await sleep(1100);
  const err = await caught(adminClient(emu, raw).users.list({ customer: 'my_customer', maxResults: 1 }));
  expect(err.status).toBe(401);
  expect(firstReason(err.data).reason).toBe('authError');
});

test('no Authorization header → 401 required', async () => {
  const anonymous = google.admin({
    version: 'directory_v1',
    rootUrl: emu.rootUrl,
    fetchImplementation: globalThis.fetch,
  });
  const err = await caught(anonymous.users.list({ customer: 'my_customer' }));
  expect(err.status).toBe(401);
  expect(firstReason(err.data)).toMatchObject({ reason: 'required', status: 'UNAUTHENTICATED' });
});
