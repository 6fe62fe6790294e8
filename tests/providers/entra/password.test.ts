import type { RunningEntraEmulator } from '../../../src/emulators/entra';
import { createEntraProvider, parseEntraSettings, type EntraProvider } from '../../../src/providers/entra';
import { supportsPassword, type DirectoryProvider, type PasswordCapable } from '../../../src/providers/provider';
import { startEmulator } from './subject';

/** Crowd password checks through ROPC (msal-node acquireTokenByUsernamePassword). */
let emu: RunningEntraEmulator;
let provider: EntraProvider & PasswordCapable;
beforeAll(async () => {
  emu = await startEmulator();
  const p: DirectoryProvider = createEntraProvider(
    parseEntraSettings({ ...emu.directoryConfig('corp').entra, passwordAuthentication: true }, 'corp'),
  );
  if (!supportsPassword(p)) throw new Error('password capability missing');
  provider = p as EntraProvider & PasswordCapable;
});
afterAll(async () => {
  await provider.close();
  await emu.close();
});

const active = () => [...emu.state.users.values()].filter((u) => u.enabled && !u.guest);

test('right password → ok (login is the UPN, any case)', async () => {
  const user = active()[0]!;
  emu.setUserPassword(user.id, 'Correct-Horse-1');
  expect(await provider.checkPassword(user.login, 'Correct-Horse-1')).toEqual({ kind: 'ok' });
  expect(await provider.checkPassword(user.login.toUpperCase(), 'Correct-Horse-1')).toEqual({ kind: 'ok' });
});

test('wrong password, unknown user and empty password → invalid', async () => {
  const user = active()[1]!;
  emu.setUserPassword(user.id, 'Correct-Horse-2');
  expect(await provider.checkPassword(user.login, 'wrong')).toEqual({ kind: 'invalid' });
  expect(await provider.checkPassword('nobody@contoso.test', 'whatever')).toEqual({ kind: 'invalid' });
  expect(await provider.checkPassword(user.login, '')).toEqual({ kind: 'invalid' });
  // A success after failures still succeeds (no state kept between checks).
  expect(await provider.checkPassword(user.login, 'Correct-Horse-2')).toEqual({ kind: 'ok' });
});

test('disabled account → inactive (AADSTS50057)', async () => {
  const user = [...emu.state.users.values()].find((u) => !u.enabled)!;
  emu.setUserPassword(user.id, 'Pw-Disabled-1');
  expect(await provider.checkPassword(user.login, 'Pw-Disabled-1')).toEqual({ kind: 'inactive' });
});

test('MFA required → mfa-required (AADSTS50076); without it again → ok', async () => {
  const user = active()[2]!;
  emu.setUserPassword(user.id, 'Pw-Mfa-1');
  emu.setMfaRequired(user.id, true);
  expect(await provider.checkPassword(user.login, 'Pw-Mfa-1')).toEqual({ kind: 'mfa-required' });
  emu.setMfaRequired(user.id, false);
  expect(await provider.checkPassword(user.login, 'Pw-Mfa-1')).toEqual({ kind: 'ok' });
});

test('an app without public client flows → unavailable, saying why', async () => {
  const app = emu.registerApplication({ allowPublicClient: false });
  const p = createEntraProvider(
    parseEntraSettings(
      { ...emu.directoryConfig('corp').entra, passwordAuthentication: true, publicClientId: app.clientId },
      'corp',
    ),
  ) as EntraProvider & PasswordCapable;
  try {
    const user = active()[3]!;
    emu.setUserPassword(user.id, 'Pw-Public-1');
    expect(await p.checkPassword(user.login, 'Pw-Public-1')).toEqual({
      kind: 'unavailable',
      reason: expect.stringMatching(/AADSTS7000218.*public client flows/),
    });
  } finally {
    await p.close();
  }
});

test('Entra down → unavailable, never invalid', async () => {
  const user = active()[4]!;
  emu.setUserPassword(user.id, 'Pw-Down-1');
  emu.faults.update({ serverErrorRate: 1 });
  try {
    expect(await provider.checkPassword(user.login, 'Pw-Down-1')).toMatchObject({ kind: 'unavailable' });
  } finally {
    emu.faults.update({ serverErrorRate: 0 });
  }
});
