import { createServer } from 'node:net';
import type { RunningEntraEmulator } from '../../../src/emulators/entra';
import { createEntraProvider, parseEntraSettings, type EntraProvider } from '../../../src/providers/entra';
import type { AccessFinding, AccessReport, FindingCode } from '../../../src/providers/provider';
import { connectorHarness } from '../connector-harness';
import { entra, startEmulator } from './subject';

/** checkAccess names exactly what is wrong: tenant, client id, secret, each missing permission. */
let emu: RunningEntraEmulator;
const providers: EntraProvider[] = [];
beforeAll(async () => {
  emu = await startEmulator();
});
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});
afterAll(() => emu.close());

function provider(overrides: Record<string, unknown> = {}, on: RunningEntraEmulator = emu): EntraProvider {
  const p = createEntraProvider(parseEntraSettings({ ...on.directoryConfig('corp').entra, ...overrides }, 'corp'), {
    retry: { requestTimeoutMs: 5_000, baseDelayMs: 10 },
  });
  providers.push(p);
  return p;
}

const ADMIN_CENTER = /^Microsoft Entra admin center → /;

/** `messages` and `ok` follow from the findings. */
function expectConsistent(report: AccessReport): void {
  expect(report.messages).toEqual(report.findings.map((f) => f.message));
  expect(report.ok).toBe(report.findings.every((f) => f.severity !== 'ERROR'));
}

/** The report's findings have these codes, in order. */
function expectCodes(report: AccessReport, codes: readonly FindingCode[]): void {
  expect(report.findings.map((f) => f.code)).toEqual(codes);
  expectConsistent(report);
}

/** The one finding with `code`: an ERROR (unless told) whose fix matches `fix`. */
function only(report: AccessReport, code: FindingCode, fix: RegExp, severity = 'ERROR'): AccessFinding {
  const found = report.findings.filter((f) => f.code === code);
  expect(found).toHaveLength(1);
  expect(found[0]!.severity).toBe(severity);
  expect(found[0]!.fix).toMatch(fix);
  return found[0]!;
}

/** A healthy check ends its reads with exactly one INFO OK saying what was read. */
function expectOk(report: AccessReport, read = 'read 1 user, 1 group and its members'): void {
  expect(report.ok).toBe(true);
  const ok = report.findings.filter((f) => f.code === 'OK');
  expect(ok).toEqual([{ code: 'OK', severity: 'INFO', message: read, fix: '' }]);
  expect(report.findings.filter((f) => f.severity === 'ERROR')).toEqual([]);
}

test('a healthy registration: ok, with what was checked and that the secret expiry cannot be read', async () => {
  const report = await provider().checkAccess();
  expect(report.ok).toBe(true);
  expect(report.messages).toEqual([
    `signed in as application ${emu.clientId} in tenant ${emu.tenantId}; granted application permissions: Group.Read.All, GroupMember.Read.All, User.Read.All`,
    expect.stringMatching(
      /^cannot tell when the client secret expires \(reading the app registration needs Application\.Read\.All\)/,
    ),
    'can read users',
    'can read groups',
    'can read group members',
    'read 1 user, 1 group and its members',
  ]);
  expectCodes(report, ['SIGNED_IN', 'SECRET_EXPIRY', 'CAN_READ', 'CAN_READ', 'CAN_READ', 'OK']);
  expectOk(report);
  only(report, 'SECRET_EXPIRY', /Certificates & secrets → Client secrets: note the Expires date/, 'INFO');
});

test('unknown tenant → AADSTS90002, named as such', async () => {
  const report = await provider({ tenantId: 'nope.example' }).checkAccess();
  expect(report.ok).toBe(false);
  expect(report.messages).toEqual([
    expect.stringMatching(/^unknown tenant 'nope\.example' \(AADSTS90002\): set entra\.tenantId/),
  ]);
  expectCodes(report, ['UNKNOWN_TENANT']);
  expect(only(report, 'UNKNOWN_TENANT', /→ Identity → Overview: copy the Tenant ID/).fix).toMatch(ADMIN_CENTER);
});

test('wrong client id → AADSTS700016', async () => {
  const report = await provider({ clientId: '11111111-2222-4333-8444-555555555555' }).checkAccess();
  expect(report.ok).toBe(false);
  expect(report.messages).toEqual([
    expect.stringMatching(
      /^no application with client id '11111111-2222-4333-8444-555555555555' .*\(AADSTS700016\): set entra\.clientId/,
    ),
  ]);
  expectCodes(report, ['UNKNOWN_CLIENT']);
  expect(
    only(report, 'UNKNOWN_CLIENT', /→ App registrations → .*Application \(client\) ID.*entra\.clientId/).fix,
  ).toMatch(ADMIN_CENTER);
});

test('wrong secret → AADSTS7000215 (the Value, not the Secret ID)', async () => {
  const report = await provider({ clientSecret: 'abc8Q~not-the-secret-value-at-all-000000' }).checkAccess();
  expect(report.ok).toBe(false);
  expect(report.messages).toEqual([
    expect.stringMatching(
      /^the client secret is wrong \(AADSTS7000215\): entra\.clientSecret must be the secret Value, not the Secret ID/,
    ),
  ]);
  expectCodes(report, ['WRONG_SECRET']);
  const fix = only(report, 'WRONG_SECRET', ADMIN_CENTER).fix;
  expect(fix).toContain(
    `App registrations → the app with Application (client) ID ${emu.clientId} → Certificates & secrets → Client secrets → New client secret`,
  );
  expect(fix).toMatch(/its Value \(not the Secret ID\).*entra\.clientSecret/);
  expect(fix).not.toContain('abc8Q~');
});

test('a secret ID (a GUID) as the secret → SECRET_ID_INSTEAD_OF_VALUE, without asking Entra', async () => {
  // parseEntraSettings refuses it; settings built another way still get the finding.
  const settings = parseEntraSettings(emu.directoryConfig('corp').entra, 'corp');
  const secretId = '6f1b7a4e-2c1d-4e8f-9a3b-0c5d7e9f1a2b';
  const p = createEntraProvider({ ...settings, credential: { kind: 'secret', clientSecret: secretId } });
  providers.push(p);
  const before = emu.stats().graphRequests;
  const report = await p.checkAccess();
  expect(report.ok).toBe(false);
  expectCodes(report, ['SECRET_ID_INSTEAD_OF_VALUE']);
  const found = only(report, 'SECRET_ID_INSTEAD_OF_VALUE', ADMIN_CENTER);
  expect(found.message).toMatch(/looks like the secret ID \(a GUID\): use the secret Value/);
  expect(found.fix).toMatch(/Certificates & secrets → Client secrets → New client secret; copy the Value column/);
  expect(found.message + found.fix).not.toContain(secretId);
  expect(emu.stats().graphRequests).toBe(before);
});

test('with Application.Read.All: the client secret’s expiry date, a WARNING within 30 days, INFO beyond', async () => {
  const DAY = 86_400_000;
  const soon = new Date(Date.now() + 9 * DAY + 3_600_000);
  const permissions = ['User.Read.All', 'GroupMember.Read.All', 'Application.Read.All'];
  const near = emu.registerApplication({ secretExpiresAt: soon, permissions });
  const report = await provider({ clientId: near.clientId, clientSecret: near.clientSecret }).checkAccess();
  expect(report.ok).toBe(true);
  const expiry = only(report, 'SECRET_EXPIRY', /before \d{4}-\d{2}-\d{2}, then delete the old secret/, 'WARNING');
  expect(expiry.message).toBe(
    `the client secret expires in 9 days (${soon.toISOString().slice(0, 10)}): create a new one soon`,
  );
  expect(expiry.expiresAt).toEqual(soon);

  const later = emu.registerApplication({ secretExpiresAt: new Date(Date.now() + 400 * DAY + 3_600_000), permissions });
  const fine = await provider({ clientId: later.clientId, clientSecret: later.clientSecret }).checkAccess();
  expect(only(fine, 'SECRET_EXPIRY', /then delete the old secret/, 'INFO').message).toMatch(
    /^the client secret expires in 400 days/,
  );
});

test('expired secret → AADSTS7000222', async () => {
  const app = emu.registerApplication({ secretExpiresAt: new Date(Date.now() - 86_400_000) });
  const report = await provider({ clientId: app.clientId, clientSecret: app.clientSecret }).checkAccess();
  expect(report.ok).toBe(false);
  expect(report.messages).toEqual([expect.stringMatching(/^the client secret has expired \(AADSTS7000222\)/)]);
  expectCodes(report, ['EXPIRED_CREDENTIAL']);
  expect(only(report, 'EXPIRED_CREDENTIAL', ADMIN_CENTER).fix).toMatch(
    new RegExp(
      `Application \\(client\\) ID ${app.clientId} → Certificates & secrets → Client secrets → New client secret`,
    ),
  );
});

test('certificate credential whose file cannot be read → named', async () => {
  const report = await provider({
    clientSecret: undefined,
    certificatePath: '/nonexistent/crowdgate-entra.pem',
  }).checkAccess();
  expect(report.ok).toBe(false);
  expect(report.messages).toEqual([
    expect.stringMatching(
      /^cannot read the certificate file \/nonexistent\/crowdgate-entra\.pem \(entra\.certificatePath\)/,
    ),
  ]);
  expectCodes(report, ['INVALID_KEY']);
  expect(only(report, 'INVALID_KEY', ADMIN_CENTER).fix).toMatch(
    /Certificates & secrets → Certificates → Upload certificate.*entra\.certificatePath/,
  );
});

test.each([
  [['Group.Read.All'], ['missing application permission User.Read.All']],
  [
    ['User.Read.All'],
    ['missing application permission Group.Read.All', 'missing application permission GroupMember.Read.All'],
  ],
  [['User.Read.All', 'GroupMember.Read.All'], []],
  [['User.Read.All', 'Group.Read.All'], []],
  [['Directory.Read.All'], []],
  [
    [],
    [
      'missing application permission User.Read.All',
      'missing application permission Group.Read.All',
      'missing application permission GroupMember.Read.All',
    ],
  ],
])('granted %j → missing %j', async (permissions, missing) => {
  const app = emu.registerApplication({ permissions });
  const report = await provider({ clientId: app.clientId, clientSecret: app.clientSecret }).checkAccess();
  expect(report.ok).toBe(missing.length === 0);
  const found = report.messages.filter((m) => m.startsWith('missing application permission'));
  expect(found.map((m) => /^missing application permission \S+/.exec(m)![0])).toEqual(missing);
  for (const m of found) expect(m).toMatch(/refused \(403 Authorization_RequestDenied\)/);
  const denied = report.findings.filter((f) => f.code === 'MISSING_PERMISSION');
  expect(denied.map((f) => f.message)).toEqual(found);
  expect(denied.map((f) => f.severity)).toEqual(found.map(() => 'ERROR'));
  // The fix names the permission the message names, where the admin center lists it.
  expect(denied.map((f) => /Application permissions → (\S+), then Grant admin consent/.exec(f.fix)?.[1])).toEqual(
    missing.map((m) => m.replace('missing application permission ', '')),
  );
  for (const f of denied)
    expect(f.fix).toMatch(
      new RegExp(
        `^Microsoft Entra admin center → App registrations → the app with Application \\(client\\) ID ${app.clientId} → API permissions → Add a permission → Microsoft Graph → Application permissions → `,
      ),
    );
  if (missing.length === 0) expectOk(report);
  else expect(report.findings.some((f) => f.code === 'OK')).toBe(false);
  expectConsistent(report);
});

test('an authority host that cannot be reached or is not trusted is named', async () => {
  const port = await closedPort();
  const unreachable = await provider({ authorityHost: `https://127.0.0.1:${port}` }).checkAccess();
  expect(unreachable.ok).toBe(false);
  expect(unreachable.messages).toEqual([
    `cannot reach the authority host https://127.0.0.1:${port} (ECONNREFUSED); check entra.authorityHost and entra.caCertificate`,
  ]);
  expectCodes(unreachable, ['UNREACHABLE']);
  only(unreachable, 'UNREACHABLE', /entra\.authorityHost \(https:\/\/login\.microsoftonline\.com/);
  const config = { ...emu.directoryConfig('corp').entra } as Record<string, unknown>;
  delete config['caCertificate'];
  const p = createEntraProvider(parseEntraSettings(config, 'corp'));
  providers.push(p);
  const untrusted = await p.checkAccess();
  expect(untrusted.ok).toBe(false);
  expect(untrusted.messages).toEqual([
    expect.stringMatching(/^cannot reach the authority host .*(SELF_SIGNED|certificate)/i),
  ]);
  expectCodes(untrusted, ['UNTRUSTED_CERTIFICATE']);
  only(untrusted, 'UNTRUSTED_CERTIFICATE', /^set entra\.caCertificate to the PEM of the CA/);
});

test('an identity platform answering 503 → PROVIDER_UNAVAILABLE', async () => {
  emu.faults.update({ serverErrorRate: 1 });
  try {
    const report = await provider().checkAccess();
    expect(report.messages).toEqual([expect.stringMatching(/^the authority host \S+ answered 503/)]);
    expectCodes(report, ['PROVIDER_UNAVAILABLE']);
    only(report, 'PROVIDER_UNAVAILABLE', /Service health/);
  } finally {
    emu.faults.update({ serverErrorRate: 0 });
  }
});

test('a Graph endpoint that does not answer → UNREACHABLE for that probe, the others pass', async () => {
  emu.faults.update({ hangPathPattern: '^/v1\\.0/users$' });
  try {
    const p = createEntraProvider(parseEntraSettings(emu.directoryConfig('corp').entra, 'corp'), {
      retry: { requestTimeoutMs: 300, baseDelayMs: 10, maxDelayMs: 20 },
    });
    providers.push(p);
    const report = await p.checkAccess();
    expectCodes(report, ['SIGNED_IN', 'SECRET_EXPIRY', 'UNREACHABLE', 'CAN_READ', 'CAN_READ']);
    expect(only(report, 'UNREACHABLE', /entra\.graphBaseUrl/).message).toMatch(/^Graph GET \/users got no answer/);
  } finally {
    emu.faults.update({ hangPathPattern: null });
  }
});

test('a tenant with no users and no groups → NO_USERS_VISIBLE (a warning), and OK says nothing was read', async () => {
  const empty = await startEmulator();
  try {
    for (const id of [...empty.state.groups.keys()]) empty.state.deleteGroup(id);
    for (const id of [...empty.state.users.keys()]) empty.state.deleteUser(id);
    const report = await provider({}, empty).checkAccess();
    expectCodes(report, ['SIGNED_IN', 'SECRET_EXPIRY', 'CAN_READ', 'NO_USERS_VISIBLE', 'CAN_READ', 'CAN_READ', 'OK']);
    only(report, 'NO_USERS_VISIBLE', /^Microsoft Entra admin center → Users → All users/, 'WARNING');
    expectOk(report, 'read 0 users and 0 groups');
  } finally {
    await Promise.all(providers.splice(0).map((p) => p.close()));
    await empty.close();
  }
});

test('a sync with a broken credential fails with the same words, and changes nothing', async () => {
  const h = await connectorHarness(
    'entra',
    entra.createProvider(emu, { clientSecret: 'abc8Q~not-the-secret-value-at-all-000000' }),
  );
  try {
    const run = await h.full();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^entra directory corp: the client secret is wrong \(AADSTS7000215\)/);
    expect((await h.state()).users).toEqual([]);
  } finally {
    await h.close();
  }
});

test('password authentication on: the report says what ROPC needs and cannot do', async () => {
  const report = await provider({ passwordAuthentication: true }).checkAccess();
  expect(report.ok).toBe(true);
  expect(report.messages[report.messages.length - 1]).toMatch(
    /password authentication is on: .*allow public client flows.*MFA.*federated/,
  );
  expectCodes(report, [
    'SIGNED_IN',
    'SECRET_EXPIRY',
    'CAN_READ',
    'CAN_READ',
    'CAN_READ',
    'OK',
    'PASSWORD_AUTHENTICATION',
  ]);
  expectOk(report);
  only(
    report,
    'PASSWORD_AUTHENTICATION',
    /^Microsoft Entra admin center → App registrations → .* → Authentication → Advanced settings → Allow public client flows: Yes/,
    'INFO',
  );
});

/** A loopback port nobody listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
