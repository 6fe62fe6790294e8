import { DirectoryError } from '../../../src/domain/errors';
import { openProvider } from '../../../src/providers/registry';
import { accountScope, parseGoogleSettings } from '../../../src/providers/google/config';
import { inOrgUnits, mapUser } from '../../../src/providers/google/mapper';

/** The `google:` settings schema: defaults, and one precise message per mistake. */
const valid = {
  domain: 'Example.com',
  serviceAccountKeyFile: '/etc/crowdgate/google-key.json',
  adminEmail: 'admin@example.com',
};

function problems(raw: unknown): string[] {
  try {
    parseGoogleSettings(raw, 'corp');
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as DirectoryError).code).toBe('CONFIGURATION');
    return (error as DirectoryError).message.split('\n');
  }
  throw new Error('expected a configuration error');
}

test("defaults: Google's endpoints, every org unit, the documented 2,400 queries/min, concurrency tuned to it", () => {
  expect(parseGoogleSettings(valid, 'corp')).toEqual({
    directoryName: 'corp',
    domain: 'example.com',
    key: { kind: 'file', path: '/etc/crowdgate/google-key.json' },
    adminEmail: 'admin@example.com',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    rootUrl: 'https://admin.googleapis.com/',
    orgUnits: [],
    queriesPerMinute: 2_400,
    maxConcurrency: 10,
  });
});

test('customerId instead of domain; the key inline; URLs normalised; numbers from the environment', () => {
  const s = parseGoogleSettings(
    {
      customerId: 'C03az79cb',
      serviceAccountKey: '{"type":"service_account"}',
      adminEmail: 'a@b.example',
      tokenUrl: 'http://127.0.0.1:9/token/',
      rootUrl: 'http://127.0.0.1:9',
      orgUnits: ['/Sales/', '/'],
      queriesPerMinute: '600',
      maxConcurrency: '3',
    },
    'corp',
  );
  expect(s).toMatchObject({
    customerId: 'C03az79cb',
    key: { kind: 'inline', json: '{"type":"service_account"}' },
    tokenUrl: 'http://127.0.0.1:9/token',
    rootUrl: 'http://127.0.0.1:9/',
    orgUnits: ['/Sales', '/'],
    queriesPerMinute: 600,
    maxConcurrency: 3,
  });
  expect(s.domain).toBeUndefined();
  expect(accountScope(s)).toEqual({ customer: 'C03az79cb' });
  expect(accountScope(parseGoogleSettings(valid, 'corp'))).toEqual({ domain: 'example.com' });
  expect(parseGoogleSettings({ ...valid, queriesPerMinute: 1_000_000 }, 'corp').maxConcurrency).toBe(20);
});

test('every mistake is named, one line each; unknown keys are errors', () => {
  expect(
    problems({
      adminEmail: 'nope',
      orgUnits: ['Sales'],
      queriesPerMinute: 10,
      maxConcurrency: 50,
      colour: 'blue',
    }).sort(),
  ).toEqual(
    [
      'directories[corp].google.colour: unknown setting',
      'directories[corp].google.adminEmail: must be the email address of a Workspace administrator to impersonate',
      "directories[corp].google.orgUnits.0: must be an org unit path starting with '/', such as /Sales",
      'directories[corp].google.queriesPerMinute: must be at least 60',
      'directories[corp].google.maxConcurrency: must be at most 20',
      'directories[corp].google.domain: missing: give the primary domain, or customerId',
      'directories[corp].google.serviceAccountKeyFile: missing: give the path of the service-account JSON key, or its text in serviceAccountKey',
    ].sort(),
  );
  expect(problems({ ...valid, serviceAccountKey: '{"private_key":"-----BEGIN PRIVATE KEY-----secret"}' })).toEqual([
    'directories[corp].google.serviceAccountKey: give either serviceAccountKeyFile or serviceAccountKey, not both',
  ]);
  expect(problems({ ...valid, customerId: 'not a customer' })[0]).toMatch(
    /^directories\[corp\]\.google\.customerId: must be the customer ID/,
  );
  expect(problems({ ...valid, domain: 'https://example.com' })[0]).toBe(
    'directories[corp].google.domain: must be a domain name such as example.com',
  );
  expect(problems({ ...valid, rootUrl: 'ftp://x' })[0]).toBe(
    'directories[corp].google.rootUrl: must be an http or https URL',
  );
  expect(problems(undefined)[0]).toMatch(/^directories\[corp\]\.google: missing/);
});

test('messages never echo the key', () => {
  const secret = '-----BEGIN PRIVATE KEY-----\nMIIEsecret\n-----END PRIVATE KEY-----';
  const lines = problems({ serviceAccountKey: secret, serviceAccountKeyFile: '/x', adminEmail: 'x' });
  expect(lines.join('\n')).not.toContain('MIIEsecret');
});

test('the registry opens a google directory (and still refuses settings it cannot parse)', async () => {
  const handle = await openProvider({ name: 'gw', provider: 'google', google: valid } as never);
  expect(handle.provider.kind).toBe('google');
  await handle.close();
  await expect(openProvider({ name: 'gw', provider: 'google', google: {} } as never)).rejects.toMatchObject({
    code: 'CONFIGURATION',
  });
});

test('user mapping: suspended and archived are inactive; aliases, org unit, custom schema fields become attributes', () => {
  const user = mapUser({
    id: '1',
    primaryEmail: 'ada@example.com',
    name: { givenName: 'Ada', familyName: 'Lovelace', fullName: 'Ada Lovelace' },
    archived: true,
    aliases: ['ada.l@example.com', 'countess@example.com'],
    orgUnitPath: '/Research/Math',
    organizations: [{ department: 'Math', title: 'Analyst', primary: true }],
    externalIds: [{ type: 'organization', value: 'E1815' }],
    customSchemas: { HR: { badge: 42, langs: [{ value: 'en' }, { value: 'fr' }] } },
  })!;
  expect(user).toEqual({
    id: '1',
    login: 'ada@example.com',
    email: 'ada@example.com',
    givenName: 'Ada',
    surname: 'Lovelace',
    displayName: 'Ada Lovelace',
    enabled: false,
    guest: false,
    attributes: {
      alias: 'ada.l@example.com',
      aliases: 'ada.l@example.com,countess@example.com',
      orgUnitPath: '/Research/Math',
      department: 'Math',
      jobTitle: 'Analyst',
      employeeId: 'E1815',
      'customSchemas.HR.badge': '42',
      'customSchemas.HR.langs': 'en,fr',
      status: 'archived',
    },
  });
  expect(mapUser({ id: '2', primaryEmail: 'b@example.com', suspended: true })).toMatchObject({
    enabled: false,
    attributes: { status: 'suspended' },
  });
  expect(mapUser({ id: '3' })).toBeNull();
});

test('org unit filter: the unit and its sub-units, case-insensitive', () => {
  expect(inOrgUnits('/Sales', ['/sales'])).toBe(true);
  expect(inOrgUnits('/Sales/EMEA', ['/Sales'])).toBe(true);
  expect(inOrgUnits('/SalesOps', ['/Sales'])).toBe(false);
  expect(inOrgUnits(undefined, ['/Sales'])).toBe(false);
  expect(inOrgUnits('/anything', ['/'])).toBe(true);
  expect(inOrgUnits('/anything', [])).toBe(true);
});
