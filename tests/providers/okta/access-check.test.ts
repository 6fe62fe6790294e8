import { generateKeyPairSync } from 'node:crypto';
import type { RunningOktaEmulator } from '../../../src/emulators/okta';
import { createOktaProvider, parseOktaSettings } from '../../../src/providers/okta';
import type { AccessReport } from '../../../src/providers/provider';
import { oktaConfig, startEmulator } from './subject';

/** checkAccess() names exactly what is wrong, one finding per line. */
let emu: RunningOktaEmulator;
beforeAll(async () => {
  emu = await startEmulator({ defaultPassword: 'pw' });
});
afterAll(() => emu.close());

async function report(okta: Record<string, unknown>): Promise<AccessReport> {
  const provider = createOktaProvider(parseOktaSettings(okta, 'corp'), { retry: { baseDelayMs: 10, maxDelayMs: 20 } });
  try {
    return await provider.checkAccess();
  } finally {
    await provider.close();
  }
}

const oauth = (scopes: readonly string[], extra: Record<string, unknown> = {}) => {
  const app = emu.createOAuthClient(scopes);
  return { orgUrl: emu.orgUrl, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, ...extra };
};

test('SSWS, everything in order: users, groups, members, the System Log, rate limits, authn', async () => {
  const r = await report({ ...oktaConfig(emu), passwordAuthentication: true });
  expect(r.ok).toBe(true);
  expect(r.messages).toEqual(
    expect.arrayContaining([
      `signed in to ${emu.orgUrl} with an API token (SSWS)`,
      'can read users',
      'can read groups',
      'can read group members',
      'can read the System Log (incremental runs)',
      expect.stringMatching(/^password authentication through \/api\/v1\/authn is available/),
      expect.stringMatching(/^rate limit of GET \/api\/v1\/users: 600 calls per window; crowdgate uses at most 50%/),
    ]),
  );
});

test('OAuth service app, everything in order', async () => {
  const r = await report(oktaConfig(emu, 'oauth'));
  expect(r.ok).toBe(true);
  expect(r.messages[0]).toMatch(
    /^signed in to .* as OAuth service app 0oa\S+ \(scopes okta.users.read okta.groups.read okta.logs.read\)$/,
  );
});

test('unreachable org', async () => {
  const r = await report({ orgUrl: 'http://127.0.0.1:1', apiToken: 'x' });
  expect(r).toEqual({
    ok: false,
    messages: [
      expect.stringMatching(
        /^cannot reach the Okta org at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\): check okta\.orgUrl/,
      ),
    ],
  });
});

test('invalid and revoked API tokens', async () => {
  const wrong = await report({ orgUrl: emu.orgUrl, apiToken: '00notatoken' });
  expect(wrong).toEqual({
    ok: false,
    messages: [
      expect.stringMatching(
        /^the API token was refused \(GET \/api\/v1\/users answered 401 E0000011.*create one under Security → API → Tokens/,
      ),
    ],
  });
  const token = emu.createApiToken();
  emu.revokeToken(token);
  const revoked = await report({ orgUrl: emu.orgUrl, apiToken: token });
  expect(revoked.messages).toEqual([expect.stringMatching(/^the API token was refused.*revoked/)]);
});

test('an API token whose admin has no admin role', async () => {
  const r = await report({ orgUrl: emu.orgUrl, apiToken: emu.createApiToken('NONE') });
  expect(r).toEqual({
    ok: false,
    messages: [
      expect.stringMatching(
        /^the API token may not read users \(GET \/api\/v1\/users answered 403 E0000006.*Read-Only Administrator role/,
      ),
    ],
  });
});

test('OAuth: scopes requested but not granted (the token endpoint refuses; SDK 8.1 would hide it)', async () => {
  const r = await report(oauth(['okta.users.read']));
  expect(r).toEqual({
    ok: false,
    messages: [
      expect.stringMatching(
        /^Okta refused the requested scopes okta.users.read okta.groups.read okta.logs.read \(invalid_scope.*grant them to the app under Okta API Scopes/,
      ),
    ],
  });
});

test('OAuth: a scope missing from okta.scopes and from the grant → named per probe', async () => {
  const r = await report(oauth(['okta.users.read'], { scopes: ['okta.users.read'] }));
  expect(r.ok).toBe(false);
  expect(r.messages).toContain('can read users');
  expect(r.messages).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /^missing scope okta.groups.read to read groups \(GET \/api\/v1\/groups answered 403 E0000006.*add it to okta.scopes/,
      ),
    ]),
  );
  expect(r.messages).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^warning: missing scope okta.logs.read to read the System Log.*falls back to a full run/),
    ]),
  );
});

test('OAuth: unknown client id, or a key the app does not know → invalid_client', async () => {
  const unknown = await report({
    ...oauth(['okta.users.read', 'okta.groups.read', 'okta.logs.read']),
    clientId: '0oaNOSUCHAPP',
  });
  expect(unknown).toEqual({
    ok: false,
    messages: [expect.stringMatching(/^Okta refused the OAuth client \(invalid_client.*okta\.clientId/)],
  });
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
  const wrongKey = await report({
    ...oauth(['okta.users.read', 'okta.groups.read', 'okta.logs.read']),
    privateKey: otherKey,
  });
  expect(wrongKey.messages).toEqual([expect.stringMatching(/^Okta refused the OAuth client \(invalid_client/)]);
});
