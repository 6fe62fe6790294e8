import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIRECTORY_SCOPES, type RunningGoogleEmulator } from '../../../src/emulators/google';
import { google as subject, startEmulator } from './subject';

/** checkAccess() names exactly what is wrong, one finding per line. */
let emu: RunningGoogleEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'crowdgate-google-keys-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await emu.close();
});

async function report(settings: Record<string, unknown>) {
  const p = subject.createProvider(emu, settings);
  try {
    return await p.checkAccess();
  } finally {
    await p.close();
  }
}

function keyFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

test('all good: signed in, can read users, groups and members', async () => {
  const r = await report({});
  expect(r.ok).toBe(true);
  expect(r.messages).toEqual([
    `signed in as service account ${emu.serviceAccountKey.client_email} (client ID ${emu.serviceAccountKey.client_id}) impersonating ${emu.adminEmail}, with the three read-only directory scopes`,
    'can read users',
    'can read groups',
    'can read group members',
  ]);
});

test('the key inline (serviceAccountKey) works like the file', async () => {
  const r = await report({
    serviceAccountKeyFile: undefined,
    serviceAccountKey: JSON.stringify(emu.serviceAccountKey),
  });
  expect(r.ok).toBe(true);
});

test.each([
  ['missing file', () => ({ serviceAccountKeyFile: join(dir, 'nope.json') }), /key file .*nope\.json does not exist$/],
  [
    'not JSON',
    () => ({ serviceAccountKeyFile: keyFile('a.json', '{"type": "service_account",') }),
    /is malformed: not JSON/,
  ],
  [
    'not a service account',
    () => ({ serviceAccountKeyFile: keyFile('b.json', JSON.stringify({ installed: { client_id: 'x' } })) }),
    /is not a service-account key \(type is null/,
  ],
  [
    'missing fields',
    () => ({
      serviceAccountKeyFile: keyFile(
        'c.json',
        JSON.stringify({ type: 'service_account', client_email: 'a@b.iam.gserviceaccount.com' }),
      ),
    }),
    /is malformed: missing client_id, private_key$/,
  ],
  [
    'bad private key',
    () => ({
      serviceAccountKey: JSON.stringify({
        ...emu.serviceAccountKey,
        private_key: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n',
      }),
      serviceAccountKeyFile: undefined,
    }),
    /private_key is not a PEM private key$/,
  ],
])('malformed key (%s) → says what is wrong with it, never quotes it', async (_what, google, expected) => {
  const r = await report(google());
  expect(r.ok).toBe(false);
  expect(r.messages).toHaveLength(1);
  expect(r.messages[0]).toMatch(expected);
  expect(r.messages[0]).not.toContain('PRIVATE KEY');
});

test('service account unknown to Google', async () => {
  const r = await report({
    serviceAccountKey: JSON.stringify({
      ...emu.serviceAccountKey,
      client_email: 'gone@nowhere.iam.gserviceaccount.com',
    }),
    serviceAccountKeyFile: undefined,
  });
  expect(r.ok).toBe(false);
  expect(r.messages).toEqual([
    expect.stringMatching(/^service account gone@nowhere\.iam\.gserviceaccount\.com is unknown to Google/),
  ]);
});

test('a key the service account does not have (deleted key)', async () => {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const r = await report({
    serviceAccountKey: JSON.stringify({ ...emu.serviceAccountKey, private_key: privateKey }),
    serviceAccountKeyFile: undefined,
  });
  expect(r.messages).toEqual([
    expect.stringMatching(/^the key [0-9a-f]{40} of service account .* is not valid \(deleted or disabled key\)/),
  ]);
});

test.each([[DIRECTORY_SCOPES.userReadonly], [DIRECTORY_SCOPES.groupMemberReadonly]])(
  'domain-wide delegation missing for %s → names that scope only',
  async (scope) => {
    const clientId = emu.serviceAccountKey.client_id;
    emu.revokeDelegation(clientId, [scope]);
    try {
      const r = await report({});
      expect(r.ok).toBe(false);
      expect(r.messages).toEqual([
        `domain-wide delegation does not grant scope ${scope} to client ID ${clientId} (service account ${emu.serviceAccountKey.client_email}): add it in the Admin console under Security → Access and data control → API controls → Domain-wide delegation`,
      ]);
    } finally {
      emu.grantDelegation(clientId, [scope]);
    }
  },
);

test('no delegation at all → all three scopes named', async () => {
  const clientId = emu.serviceAccountKey.client_id;
  emu.revokeDelegation(clientId);
  try {
    const r = await report({});
    expect(r.messages).toHaveLength(3);
    expect(r.messages.join('\n')).toContain(DIRECTORY_SCOPES.groupReadonly);
  } finally {
    emu.grantDelegation(clientId, [
      DIRECTORY_SCOPES.userReadonly,
      DIRECTORY_SCOPES.groupReadonly,
      DIRECTORY_SCOPES.groupMemberReadonly,
    ]);
  }
});

test('the admin account does not exist (or is suspended)', async () => {
  const r = await report({ adminEmail: `nobody@${emu.domain}` });
  expect(r.messages).toEqual([
    expect.stringMatching(
      new RegExp(`^the admin account nobody@${emu.domain.replace(/\./g, '\\.')} does not exist or is suspended`),
    ),
  ]);
});

test('the impersonated user is not an administrator', async () => {
  const r = await report({ adminEmail: emu.nonAdminEmail });
  expect(r.ok).toBe(false);
  expect(r.messages[0]).toMatch(/^signed in as service account/);
  expect(r.messages[1]).toMatch(
    new RegExp(
      `^${emu.nonAdminEmail!.replace(/\./g, '\\.')} is not a Workspace administrator, or its admin role lacks the Users → Read privilege`,
    ),
  );
  expect(r.messages).toHaveLength(2);
});

test('wrong domain, wrong customer ID', async () => {
  const domain = await report({ domain: 'someone-else.test', customerId: undefined });
  expect(domain.ok).toBe(false);
  expect(domain.messages).toContain(
    `wrong domain: someone-else.test is not a domain of the Workspace account ${emu.adminEmail} administers (google.domain must be its primary domain or one of its secondary domains)`,
  );
  const customer = await report({ customerId: 'C0zzzzzzz' });
  expect(customer.ok).toBe(false);
  expect(customer.messages.some((m) => m.startsWith('wrong customer ID: C0zzzzzzz is not the customer ID'))).toBe(true);
});

test('a full sync with a broken configuration fails with a CONFIGURATION error and the same words', async () => {
  const p = subject.createProvider(emu, { adminEmail: `nobody@${emu.domain}` });
  try {
    const iterator = p.users()[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject({
      name: 'DirectoryError',
      code: 'CONFIGURATION',
      message: expect.stringContaining('Invalid email or User ID'),
    });
  } finally {
    await p.close();
  }
});
