import type { RunningOktaEmulator } from '../../../src/emulators/okta';
import { createOktaProvider, parseOktaSettings, type OktaPasswordProvider } from '../../../src/providers/okta';
import { oktaConfig, startEmulator } from './subject';

/** Crowd password checks through /api/v1/authn: each Okta answer maps to its PasswordCheck. */
let emu: RunningOktaEmulator;
let provider: OktaPasswordProvider;
beforeAll(async () => {
  emu = await startEmulator({ defaultPassword: 'Corr3ct-Horse' });
  provider = createOktaProvider(parseOktaSettings({ ...oktaConfig(emu), passwordAuthentication: true }, 'corp'), {
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
  }) as OktaPasswordProvider;
});
afterEach(() => emu.faults.reset());
afterAll(async () => {
  await provider.close();
  await emu.close();
});

const withStatus = (status: string) => [...emu.directory.users.values()].find((u) => u.status === status)!;

test.each([
  ['the right password', 'ACTIVE', undefined, 'Corr3ct-Horse', { kind: 'ok' }],
  ['a wrong password', 'ACTIVE', undefined, 'wrong', { kind: 'invalid' }],
  ['an empty password (never sent)', 'ACTIVE', undefined, '', { kind: 'invalid' }],
  ['a locked-out account', 'ACTIVE', 'LOCKED_OUT', 'Corr3ct-Horse', { kind: 'inactive' }],
  [
    'a locked-out account, wrong password (Okta tells nothing more)',
    'ACTIVE',
    'LOCKED_OUT',
    'wrong',
    { kind: 'inactive' },
  ],
  ['an expired password', 'ACTIVE', 'PASSWORD_EXPIRED', 'Corr3ct-Horse', { kind: 'expired' }],
  ['an expired password (user status)', 'PASSWORD_EXPIRED', undefined, 'Corr3ct-Horse', { kind: 'expired' }],
  ['a user who must do MFA', 'ACTIVE', 'MFA_REQUIRED', 'Corr3ct-Horse', { kind: 'mfa-required' }],
  ['a suspended user (Okta: authentication failed)', 'SUSPENDED', undefined, 'Corr3ct-Horse', { kind: 'invalid' }],
] as const)('%s', async (_name, status, outcome, password, expected) => {
  const users = [...emu.directory.users.values()].filter((u) => u.status === status);
  const user =
    users[outcome === undefined ? 0 : 1 + ['LOCKED_OUT', 'PASSWORD_EXPIRED', 'MFA_REQUIRED'].indexOf(outcome)]!;
  if (outcome !== undefined) emu.setAuthnOutcome(user.id, outcome);
  expect(await provider.checkPassword(user.profile.login, password)).toEqual(expected);
});

test('an unknown login is a wrong password', async () => {
  expect(await provider.checkPassword('nobody@example.test', 'Corr3ct-Horse')).toEqual({ kind: 'invalid' });
});

test('Okta failing or unreachable → unavailable with the reason', async () => {
  const user = withStatus('ACTIVE');
  emu.faults.update({ serverErrorRate: 1 });
  expect(await provider.checkPassword(user.profile.login, 'Corr3ct-Horse')).toEqual({
    kind: 'unavailable',
    reason: expect.stringMatching(/Okta password check failed \(503/),
  });
  emu.faults.reset();
  const down = createOktaProvider(
    parseOktaSettings({ orgUrl: 'http://127.0.0.1:1', apiToken: 'x', passwordAuthentication: true }, 'corp'),
    { retry: { baseDelayMs: 10, maxDelayMs: 20 } },
  ) as OktaPasswordProvider;
  try {
    expect(await down.checkPassword(user.profile.login, 'Corr3ct-Horse')).toEqual({
      kind: 'unavailable',
      reason: expect.stringMatching(/no answer \(ECONNREFUSED\)/),
    });
  } finally {
    await down.close();
  }
});

test('no API token is sent with authn (a trusted-app call would change its semantics)', async () => {
  const seen: string[] = [];
  const executor = (
    provider as unknown as {
      authnExecutor: { on(e: string, f: (r: { headers?: Record<string, unknown> }) => void): void };
    }
  ).authnExecutor;
  executor.on('request', (r) => seen.push(String(r.headers?.['Authorization'] ?? '')));
  await provider.checkPassword(withStatus('ACTIVE').profile.login, 'Corr3ct-Horse');
  expect(seen).toEqual(['']);
});
