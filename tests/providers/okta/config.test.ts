import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryError } from '../../../src/domain/errors';
import { DEFAULT_SCOPES, parseOktaSettings } from '../../../src/providers/okta/config';

/** The `okta:` settings: strict, one credential kind, messages naming the key and never a secret. */
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const TOKEN = '00SECRETsecretSECRETsecretSECRETsecret123';

function problems(raw: unknown): string {
  try {
    parseOktaSettings(raw, 'corp');
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as DirectoryError).code).toBe('CONFIGURATION');
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

test('an API token: defaults sync everything at half the rate limits, passwords off; the trailing slash goes', () => {
  const s = parseOktaSettings({ orgUrl: 'https://example.okta.com/', apiToken: TOKEN }, 'corp');
  expect(s).toEqual({
    directoryName: 'corp',
    orgUrl: 'https://example.okta.com',
    credential: { kind: 'ssws', apiToken: TOKEN },
    groupTypes: ['OKTA_GROUP', 'APP_GROUP', 'BUILT_IN'],
    userStatuses: [
      'ACTIVE',
      'DEPROVISIONED',
      'LOCKED_OUT',
      'PASSWORD_EXPIRED',
      'PROVISIONED',
      'RECOVERY',
      'STAGED',
      'SUSPENDED',
    ],
    rateLimitShare: 0.5,
    passwordAuthentication: false,
  });
});

test('an OAuth service app: PEM or JWK text or a key file; scopes as a list or a string, default users+groups+logs', () => {
  const a = parseOktaSettings(
    { orgUrl: 'https://example.okta.com', clientId: '0oa1', privateKey: PEM, keyId: 'kid1' },
    'corp',
  );
  expect(a.credential).toEqual({
    kind: 'oauth',
    clientId: '0oa1',
    privateKey: PEM,
    keyId: 'kid1',
    scopes: [...DEFAULT_SCOPES],
  });
  const jwk = JSON.stringify(privateKey.export({ format: 'jwk' }));
  const b = parseOktaSettings(
    {
      orgUrl: 'https://example.okta.com',
      clientId: '0oa1',
      privateKey: jwk,
      scopes: 'okta.users.read okta.groups.read',
    },
    'corp',
  );
  expect(b.credential).toMatchObject({
    kind: 'oauth',
    privateKey: jwk,
    scopes: ['okta.users.read', 'okta.groups.read'],
  });
  const dir = mkdtempSync(join(tmpdir(), 'okta-key-'));
  try {
    writeFileSync(join(dir, 'key.pem'), PEM);
    const c = parseOktaSettings(
      {
        orgUrl: 'https://example.okta.com',
        clientId: '0oa1',
        privateKeyFile: join(dir, 'key.pem'),
        scopes: ['okta.users.read'],
      },
      'corp',
    );
    expect(c.credential).toMatchObject({ kind: 'oauth', privateKey: PEM, scopes: ['okta.users.read'] });
    expect(
      problems({ orgUrl: 'https://example.okta.com', clientId: '0oa1', privateKeyFile: join(dir, 'absent.pem') }),
    ).toMatch(/okta\.privateKeyFile: cannot read .*ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('filters and tuning', () => {
  const s = parseOktaSettings(
    {
      orgUrl: 'https://example.okta.com',
      apiToken: TOKEN,
      groupTypes: ['OKTA_GROUP'],
      userStatuses: ['ACTIVE', 'SUSPENDED'],
      rateLimitShare: '0.25',
      passwordAuthentication: true,
    },
    'corp',
  );
  expect(s).toMatchObject({
    groupTypes: ['OKTA_GROUP'],
    userStatuses: ['ACTIVE', 'SUSPENDED'],
    rateLimitShare: 0.25,
    passwordAuthentication: true,
  });
});

test.each([
  [{ apiToken: TOKEN }, /okta\.orgUrl: missing/],
  [{ orgUrl: 'example.okta.com', apiToken: TOKEN }, /okta\.orgUrl: must be the absolute URL/],
  [{ orgUrl: 'https://example-admin.okta.com', apiToken: TOKEN }, /Admin Console address/],
  [{ orgUrl: 'https://example.okta.com/admin/dashboard', apiToken: TOKEN }, /without a path/],
  [{ orgUrl: 'https://example.okta.com' }, /okta\.apiToken: missing: give apiToken, or clientId/],
  [{ orgUrl: 'https://example.okta.com', apiToken: `SSWS ${TOKEN}` }, /without the "SSWS " prefix/],
  [
    { orgUrl: 'https://example.okta.com', apiToken: TOKEN, clientId: '0oa1' },
    /okta\.clientId: give either apiToken \(SSWS\) or an OAuth service app/,
  ],
  [{ orgUrl: 'https://example.okta.com', clientId: '0oa1' }, /okta\.privateKey: missing/],
  [{ orgUrl: 'https://example.okta.com', privateKey: PEM }, /okta\.clientId: missing/],
  [
    {
      orgUrl: 'https://example.okta.com',
      clientId: '0oa1',
      privateKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
    /public key or certificate/,
  ],
  [{ orgUrl: 'https://example.okta.com', clientId: '0oa1', privateKey: 'not a key' }, /must be a PEM private key/],
  [
    { orgUrl: 'https://example.okta.com', clientId: '0oa1', privateKey: PEM, scopes: 'users.read' },
    /okta\.scopes: must be Okta API scopes/,
  ],
  [
    { orgUrl: 'https://example.okta.com', apiToken: TOKEN, groupTypes: ['SECURITY'] },
    /okta\.groupTypes\.0: must be one of OKTA_GROUP, APP_GROUP, BUILT_IN/,
  ],
  [
    { orgUrl: 'https://example.okta.com', apiToken: TOKEN, userStatuses: [] },
    /okta\.userStatuses: must name at least one status/,
  ],
  [
    { orgUrl: 'https://example.okta.com', apiToken: TOKEN, rateLimitShare: 1.5 },
    /okta\.rateLimitShare: must be at most 1/,
  ],
  [
    { orgUrl: 'https://example.okta.com', apiToken: TOKEN, rateLimitShare: 0 },
    /okta\.rateLimitShare: must be more than 0/,
  ],
  [{ orgUrl: 'https://example.okta.com', apiToken: TOKEN, orgURL: 'typo' }, /okta\.orgURL: unknown setting/],
])('%j is refused, naming the key', (raw, message) => {
  const text = problems(raw);
  expect(text).toMatch(message);
  expect(text).not.toContain('SECRETsecret');
  expect(text).not.toContain('PRIVATE KEY-----\n');
});

test('a missing okta section names what an Okta directory needs', () => {
  expect(problems(undefined)).toMatch(
    /directories\[corp\]\.okta: missing; an Okta directory needs orgUrl and either apiToken or clientId/,
  );
});
