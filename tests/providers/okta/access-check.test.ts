import { generateKeyPairSync } from 'node:crypto';
import type { RunningOktaEmulator } from '../../../src/emulators/okta';
import { createOktaProvider, parseOktaSettings } from '../../../src/providers/okta';
import { checkAccess } from '../../../src/providers/okta/access-check';
import type { OktaClient } from '../../../src/providers/okta/client';
import type { RatePacer } from '../../../src/providers/okta/pacing';
import type { TokenRefusal } from '../../../src/providers/okta/transport';
import type { AccessFinding, AccessReport, FindingCode } from '../../../src/providers/provider';
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

const ADMIN_CONSOLE = /^Okta Admin Console → /;

/** The report's findings have these codes, in order; `messages` and `ok` follow from them. */
function expectCodes(r: AccessReport, codes: readonly FindingCode[]): void {
  expect(r.findings.map((f) => f.code)).toEqual(codes);
  expect(r.messages).toEqual(r.findings.map((f) => f.message));
  expect(r.ok).toBe(r.findings.every((f) => f.severity !== 'ERROR'));
}

/** The one finding with `code`: an ERROR (unless told) whose fix matches `fix`. */
function only(r: AccessReport, code: FindingCode, fix: RegExp, severity = 'ERROR'): AccessFinding {
  const found = r.findings.filter((f) => f.code === code);
  expect(found).toHaveLength(1);
  expect(found[0]!.severity).toBe(severity);
  expect(found[0]!.fix).toMatch(fix);
  return found[0]!;
}

/** One RATE_LIMIT per rate-limit line (the limits learnt so far depend on what ran before). */
function rateLimits(r: AccessReport): FindingCode[] {
  return r.messages.filter((m) => m.startsWith('rate limit of ')).map(() => 'RATE_LIMIT');
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
  expectCodes(r, [
    'SIGNED_IN',
    'CAN_READ',
    'CAN_READ',
    'CAN_READ',
    'CAN_READ',
    'OK',
    'PASSWORD_AUTHENTICATION',
    ...rateLimits(r),
  ]);
  expect(rateLimits(r).length).toBeGreaterThan(0);
  expect(r.findings.filter((f) => f.code === 'OK')).toEqual([
    { code: 'OK', severity: 'INFO', message: 'read 1 user, 1 group and its members', fix: '' },
  ]);
  only(r, 'PASSWORD_AUTHENTICATION', /^Okta Admin Console → Security → Authentication/, 'INFO');
});

test('OAuth service app, everything in order', async () => {
  const r = await report(oktaConfig(emu, 'oauth'));
  expect(r.ok).toBe(true);
  expect(r.messages[0]).toMatch(
    /^signed in to .* as OAuth service app 0oa\S+ \(scopes okta.users.read okta.groups.read okta.logs.read\)$/,
  );
  expect(r.findings.filter((f) => f.code === 'OK').map((f) => f.severity)).toEqual(['INFO']);
  expect(r.findings.filter((f) => f.severity !== 'INFO')).toEqual([]);
});

test('unreachable org', async () => {
  const r = await report({ orgUrl: 'http://127.0.0.1:1', apiToken: 'x' });
  expect(r).toMatchObject({
    ok: false,
    messages: [
      expect.stringMatching(
        /^cannot reach the Okta org at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\): check okta\.orgUrl/,
      ),
    ],
  });
  expectCodes(r, ['UNREACHABLE']);
  only(r, 'UNREACHABLE', /^set okta\.orgUrl to your org's URL as the Okta Admin Console shows it/);
});

test('invalid and revoked API tokens', async () => {
  const wrong = await report({ orgUrl: emu.orgUrl, apiToken: '00notatoken' });
  expect(wrong).toMatchObject({
    ok: false,
    messages: [
      expect.stringMatching(
        /^the API token was refused \(GET \/api\/v1\/users answered 401 E0000011.*create one under Security → API → Tokens/,
      ),
    ],
  });
  expectCodes(wrong, ['WRONG_SECRET']);
  const fix = only(wrong, 'WRONG_SECRET', ADMIN_CONSOLE).fix;
  expect(fix).toMatch(/^Okta Admin Console → Security → API → Tokens → Create token .*okta\.apiToken/);
  expect(fix).not.toContain('00notatoken');
  const token = emu.createApiToken();
  emu.revokeToken(token);
  const revoked = await report({ orgUrl: emu.orgUrl, apiToken: token });
  expect(revoked.messages).toEqual([expect.stringMatching(/^the API token was refused.*revoked/)]);
  expectCodes(revoked, ['WRONG_SECRET']);
});

test('an API token whose admin has no admin role', async () => {
  const r = await report({ orgUrl: emu.orgUrl, apiToken: emu.createApiToken('NONE') });
  expect(r).toMatchObject({
    ok: false,
    messages: [
      expect.stringMatching(
        /^the API token may not read users \(GET \/api\/v1\/users answered 403 E0000006.*Read-Only Administrator role/,
      ),
    ],
  });
  expectCodes(r, ['NOT_AN_ADMIN']);
  only(
    r,
    'NOT_AN_ADMIN',
    /^Okta Admin Console → Security → Administrators → Add administrator .*Read-Only Administrator/,
  );
});

test('OAuth: scopes requested but not granted (the token endpoint refuses; SDK 8.1 would hide it)', async () => {
  const r = await report(oauth(['okta.users.read']));
  expect(r).toMatchObject({
    ok: false,
    messages: [
      expect.stringMatching(
        /^Okta refused the requested scopes okta.users.read okta.groups.read okta.logs.read \(invalid_scope.*grant them to the app under Okta API Scopes/,
      ),
    ],
  });
  expectCodes(r, ['MISSING_SCOPE']);
  only(
    r,
    'MISSING_SCOPE',
    /^Okta Admin Console → Applications → Applications → the API Services app with Client ID 0oa\S+ → Okta API Scopes → Grant okta\.users\.read, okta\.groups\.read, okta\.logs\.read/,
  );
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
  // okta.groups.read: an ERROR (no groups, no members probe); okta.logs.read: a WARNING.
  expectCodes(r, ['SIGNED_IN', 'CAN_READ', 'MISSING_SCOPE', 'MISSING_SCOPE', ...rateLimits(r)]);
  const [groups, logs] = r.findings.filter((f) => f.code === 'MISSING_SCOPE');
  expect(groups).toMatchObject({
    severity: 'ERROR',
    message: expect.stringMatching(/^missing scope okta\.groups\.read/),
  });
  expect(groups!.fix).toMatch(
    /Okta API Scopes → okta\.groups\.read → Grant; then add okta\.groups\.read to okta\.scopes$/,
  );
  expect(logs).toMatchObject({
    severity: 'WARNING',
    message: expect.stringMatching(/^warning: missing scope okta\.logs\.read/),
  });
  expect(logs!.fix).toMatch(/^Okta Admin Console → .*Okta API Scopes → okta\.logs\.read → Grant/);
});

test('OAuth: unknown client id, or a key the app does not know → invalid_client', async () => {
  const unknown = await report({
    ...oauth(['okta.users.read', 'okta.groups.read', 'okta.logs.read']),
    clientId: '0oaNOSUCHAPP',
  });
  expect(unknown).toMatchObject({
    ok: false,
    messages: [expect.stringMatching(/^Okta refused the OAuth client \(invalid_client.*okta\.clientId/)],
  });
  expectCodes(unknown, ['UNKNOWN_CLIENT']);
  only(
    unknown,
    'UNKNOWN_CLIENT',
    /^Okta Admin Console → Applications → .*copy its Client ID into okta\.clientId \(it is 0oaNOSUCHAPP now\)/,
  );
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
  const wrongKey = await report({
    ...oauth(['okta.users.read', 'okta.groups.read', 'okta.logs.read']),
    privateKey: otherKey,
  });
  expect(wrongKey.messages).toEqual([expect.stringMatching(/^Okta refused the OAuth client \(invalid_client/)]);
  expectCodes(wrongKey, ['INVALID_KEY']);
  only(wrongKey, 'INVALID_KEY', /^Okta Admin Console → .* → General → Client Credentials → Public Keys → Add key/);
});

/**
 * Answers the emulator cannot be made to give (a role that reads users but not groups, 429 after
 * the retries, outages, a host that is no Okta org, token refusals): checkAccess against a client
 * that answers each path as told.
 */
describe('answers given by a stand-in client', () => {
  interface Answer {
    readonly status: number;
    readonly errorCode?: string;
    readonly challenge?: string;
  }
  const fail = (path: string, a: Answer) =>
    Object.assign(new Error(`answered ${a.status}`), {
      status: a.status,
      errorCode: a.errorCode ?? '',
      errorSummary: a.errorCode === undefined ? '' : 'as told',
      url: `${emu.orgUrl}${path}`,
      headers: {
        get: (name: string) => (name === 'www-authenticate' && a.challenge ? `Bearer error="${a.challenge}"` : null),
      },
    });

  async function standIn(
    answers: Record<'users' | 'groups' | 'members' | 'logs', Answer | unknown[]>,
    options: { auth?: 'ssws' | 'oauth'; refusal?: TokenRefusal } = {},
  ): Promise<AccessReport> {
    const settings = parseOktaSettings(oktaConfig(emu, options.auth), 'corp');
    const client = {
      executor: { tokenRefusal: options.refusal ?? null },
      async getJson(path: string): Promise<unknown> {
        const which = path.startsWith('/api/v1/logs')
          ? 'logs'
          : /^\/api\/v1\/groups\/[^/?]+\/users/.test(path)
            ? 'members'
            : path.startsWith('/api/v1/groups')
              ? 'groups'
              : 'users';
        const a = answers[which];
        if (Array.isArray(a)) return a;
        throw fail(path.split('?')[0]!, a as Answer);
      },
    } as unknown as OktaClient;
    const pacer = { report: () => new Map() } as unknown as RatePacer;
    return checkAccess({ settings, client, pacer });
  }
  const fine = { users: [{ id: 'u1' }], groups: [{ id: 'g1' }], members: [{ id: 'u1' }], logs: [] };

  test('users readable, groups refused (403 E0000006) → MISSING_PERMISSION, not NOT_AN_ADMIN', async () => {
    const r = await standIn({ ...fine, groups: { status: 403, errorCode: 'E0000006' } });
    expectCodes(r, ['SIGNED_IN', 'CAN_READ', 'MISSING_PERMISSION', 'CAN_READ']);
    expect(only(r, 'MISSING_PERMISSION', /Read-Only Administrator/).message).toMatch(
      /^the API token may not read groups/,
    );
    const app = await standIn({ ...fine, members: { status: 403, errorCode: 'E0000006' } }, { auth: 'oauth' });
    expectCodes(app, ['SIGNED_IN', 'CAN_READ', 'CAN_READ', 'MISSING_PERMISSION', 'CAN_READ']);
    only(app, 'MISSING_PERMISSION', /^Okta Admin Console → Applications → .* → Admin roles → Edit assignments/);
  });

  test('429 after the retries → THROTTLED; 5xx → PROVIDER_UNAVAILABLE; not an Okta org → WRONG_URL', async () => {
    const throttled = await standIn({ ...fine, users: { status: 429, errorCode: 'E0000047' } });
    expectCodes(throttled, ['THROTTLED']);
    only(throttled, 'THROTTLED', /^Okta Admin Console → Reports → Rate Limits/);
    const down = await standIn({ ...fine, groups: { status: 500, errorCode: 'E0000009' } });
    expectCodes(down, ['SIGNED_IN', 'CAN_READ', 'PROVIDER_UNAVAILABLE', 'CAN_READ']);
    only(down, 'PROVIDER_UNAVAILABLE', /status\.okta\.com/);
    const elsewhere = await standIn({ ...fine, users: { status: 404 } });
    expectCodes(elsewhere, ['WRONG_URL']);
    expect(only(elsewhere, 'WRONG_URL', /^set okta\.orgUrl/).message).toMatch(/does not look like an Okta org/);
  });

  test('an OAuth token refused as unauthorized_client or for its assertion times → WRONG_APP_TYPE, CLOCK_SKEW', async () => {
    const refused = (error: string, description: string) =>
      standIn(
        { ...fine, users: { status: 401, errorCode: 'E0000011' } },
        { auth: 'oauth', refusal: { status: 400, error, description } },
      );
    const wrongType = await refused(
      'unauthorized_client',
      'The client is not authorized to use the provided grant type.',
    );
    expectCodes(wrongType, ['WRONG_APP_TYPE']);
    only(
      wrongType,
      'WRONG_APP_TYPE',
      /^Okta Admin Console → Applications → Applications → Create App Integration → API Services/,
    );
    const clock = await refused('invalid_client', 'The client_assertion token is expired.');
    expectCodes(clock, ['CLOCK_SKEW']);
    only(clock, 'CLOCK_SKEW', /clock/);
  });

  test('an org that lists no users → NO_USERS_VISIBLE (a warning), still OK', async () => {
    const r = await standIn({ ...fine, users: [] });
    expectCodes(r, ['SIGNED_IN', 'CAN_READ', 'NO_USERS_VISIBLE', 'CAN_READ', 'CAN_READ', 'CAN_READ', 'OK']);
    only(r, 'NO_USERS_VISIBLE', /^Okta Admin Console → Directory → People/, 'WARNING');
    expect(r.findings.find((f) => f.code === 'OK')?.message).toBe('read 0 users, 1 group and its members');
  });
});
