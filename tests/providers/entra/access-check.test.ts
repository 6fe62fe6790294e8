import { createServer } from 'node:net';
import type { RunningEntraEmulator } from '../../../src/emulators/entra';
import { createEntraProvider, parseEntraSettings, type EntraProvider } from '../../../src/providers/entra';
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

function provider(overrides: Record<string, unknown> = {}): EntraProvider {
  const p = createEntraProvider(parseEntraSettings({ ...emu.directoryConfig('corp').entra, ...overrides }, 'corp'), {
    retry: { requestTimeoutMs: 5_000, baseDelayMs: 10 },
  });
  providers.push(p);
  return p;
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
  ]);
});

test('unknown tenant → AADSTS90002, named as such', async () => {
  const report = await provider({ tenantId: 'nope.example' }).checkAccess();
  expect(report.ok).toBe(false);
  expect(report.messages).toEqual([
    expect.stringMatching(/^unknown tenant 'nope\.example' \(AADSTS90002\): set entra\.tenantId/),
  ]);
});

test('wrong client id → AADSTS700016', async () => {
  const report = await provider({ clientId: '11111111-2222-4333-8444-555555555555' }).checkAccess();
  expect(report.ok).toBe(false);
  expect(report.messages).toEqual([
    expect.stringMatching(
      /^no application with client id '11111111-2222-4333-8444-555555555555' .*\(AADSTS700016\): set entra\.clientId/,
    ),
  ]);
});

test('wrong secret → AADSTS7000215 (the Value, not the Secret ID)', async () => {
  const report = await provider({ clientSecret: 'abc8Q~not-the-secret-value-at-all-000000' }).checkAccess();
  expect(report.ok).toBe(false);
  expect(report.messages).toEqual([
    expect.stringMatching(
      /^the client secret is wrong \(AADSTS7000215\): entra\.clientSecret must be the secret Value, not the Secret ID/,
    ),
  ]);
});

test('expired secret → AADSTS7000222', async () => {
  const app = emu.registerApplication({ secretExpiresAt: new Date(Date.now() - 86_400_000) });
  const report = await provider({ clientId: app.clientId, clientSecret: app.clientSecret }).checkAccess();
  expect(report.ok).toBe(false);
  expect(report.messages).toEqual([expect.stringMatching(/^the client secret has expired \(AADSTS7000222\)/)]);
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
});

test('an authority host that cannot be reached or is not trusted is named', async () => {
  const port = await closedPort();
  const unreachable = await provider({ authorityHost: `https://127.0.0.1:${port}` }).checkAccess();
  expect(unreachable.ok).toBe(false);
  expect(unreachable.messages).toEqual([
    `cannot reach the authority host https://127.0.0.1:${port} (ECONNREFUSED); check entra.authorityHost and entra.caCertificate`,
  ]);
  const config = { ...emu.directoryConfig('corp').entra } as Record<string, unknown>;
  delete config['caCertificate'];
  const p = createEntraProvider(parseEntraSettings(config, 'corp'));
  providers.push(p);
  const untrusted = await p.checkAccess();
  expect(untrusted.ok).toBe(false);
  expect(untrusted.messages).toEqual([
    expect.stringMatching(/^cannot reach the authority host .*(SELF_SIGNED|certificate)/i),
  ]);
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
