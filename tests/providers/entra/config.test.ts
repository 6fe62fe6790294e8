import { DEFAULT_RESOURCE_UNIT_BUDGET, parseEntraSettings } from '../../../src/providers/entra/config';
import { requestCost } from '../../../src/providers/entra/pacing';
import { settingsProblems } from './settings-problems';

/** The `entra:` settings schema: defaults, and one precise message per mistake. */
const valid = {
  tenantId: 'contoso.onmicrosoft.com',
  clientId: '7f3c2a10-5d4e-4b6a-9c8d-0e1f2a3b4c5d',
  clientSecret: 'abc8Q~0123456789abcdefghijklmnopqrstuvw',
};

const problems = settingsProblems;

test('defaults: public cloud hosts, all group types, no password checks, 90% of the large-tenant budget', () => {
  expect(parseEntraSettings(valid, 'corp')).toEqual({
    directoryName: 'corp',
    tenantId: 'contoso.onmicrosoft.com',
    clientId: valid.clientId,
    credential: { kind: 'secret', clientSecret: valid.clientSecret },
    authorityHost: 'https://login.microsoftonline.com',
    graphBaseUrl: 'https://graph.microsoft.com',
    groupTypes: 'all',
    passwordAuthentication: false,
    memberReads: 'delta',
    resourceUnitBudget: 7_200,
  });
  expect(DEFAULT_RESOURCE_UNIT_BUDGET).toBe(7_200);
});

test('URLs are normalised: trailing slash and a /v1.0 on the Graph URL are dropped', () => {
  const s = parseEntraSettings(
    { ...valid, authorityHost: 'https://login.microsoftonline.us/', graphBaseUrl: 'https://graph.microsoft.us/v1.0/' },
    'corp',
  );
  expect(s.authorityHost).toBe('https://login.microsoftonline.us');
  expect(s.graphBaseUrl).toBe('https://graph.microsoft.us');
});

test('certificate credentials', () => {
  const s = parseEntraSettings(
    {
      tenantId: valid.tenantId,
      clientId: valid.clientId,
      certificatePath: '/etc/crowdgate/entra.pem',
      certificatePassword: 'pw',
    },
    'corp',
  );
  expect(s.credential).toEqual({
    kind: 'certificate',
    certificatePath: '/etc/crowdgate/entra.pem',
    certificatePassword: 'pw',
  });
});

test.each<[string, unknown, string[]]>([
  [
    'missing settings object',
    undefined,
    ['directories[corp].entra: missing; an Entra directory needs at least tenantId, clientId and clientSecret'],
  ],
  [
    'missing keys',
    {},
    [
      'directories[corp].entra.tenantId: missing',
      'directories[corp].entra.clientId: missing',
      'directories[corp].entra.clientSecret: missing: give clientSecret, or certificatePath for a certificate credential',
    ],
  ],
  [
    'multi-tenant alias',
    { ...valid, tenantId: 'common' },
    [
      "directories[corp].entra.tenantId: must name one tenant, not a multi-tenant alias such as 'common' or 'organizations'",
    ],
  ],
  [
    'bad tenant',
    { ...valid, tenantId: 'not a tenant' },
    [
      'directories[corp].entra.tenantId: must be the Directory (tenant) ID (a GUID) or a verified domain such as contoso.onmicrosoft.com',
    ],
  ],
  [
    'bad client id',
    { ...valid, clientId: 'crowdgate' },
    [
      'directories[corp].entra.clientId: must be the Application (client) ID (a GUID such as 00000000-0000-0000-0000-000000000000)',
    ],
  ],
  [
    'secret id instead of value',
    { ...valid, clientSecret: '0b7e1f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b' },
    [
      'directories[corp].entra.clientSecret: looks like the secret ID (a GUID): use the secret Value, shown once when the secret was created',
    ],
  ],
  [
    'both credentials',
    { ...valid, certificatePath: '/x.pem' },
    ['directories[corp].entra.certificatePath: give either clientSecret or certificatePath, not both'],
  ],
  [
    'http authority',
    { ...valid, authorityHost: 'http://127.0.0.1:8443' },
    ['directories[corp].entra.authorityHost: must use https (the Microsoft SDKs refuse plain http)'],
  ],
  [
    'graph URL with a query',
    { ...valid, graphBaseUrl: 'https://graph.microsoft.com?x=1' },
    ['directories[corp].entra.graphBaseUrl: must be a plain https URL without credentials, query or fragment'],
  ],
  [
    'not PEM',
    { ...valid, caCertificate: 'MIIB...' },
    ['directories[corp].entra.caCertificate: must be PEM text (-----BEGIN CERTIFICATE----- …)'],
  ],
  [
    'group types',
    { ...valid, groupTypes: 'm365' },
    [expect.stringMatching(/^directories\[corp\]\.entra\.groupTypes: .*"all".*"security"/) as unknown as string],
  ],
  [
    'budget',
    { ...valid, resourceUnitBudget: 10 },
    ['directories[corp].entra.resourceUnitBudget: must be at least 100'],
  ],
  ['typo', { ...valid, tennantId: 'x' }, ['directories[corp].entra.tennantId: unknown setting']],
  [
    'password flag type',
    { ...valid, passwordAuthentication: 'yes' },
    [expect.stringMatching(/^directories\[corp\]\.entra\.passwordAuthentication: .*boolean/) as unknown as string],
  ],
])('%s', (_name, raw, expected) => {
  expect(problems(raw)).toEqual(expected);
});

test('messages never echo the secret', () => {
  const secret = '0b7e1f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
  expect(problems({ ...valid, clientSecret: secret }).join('\n')).not.toContain(secret);
});

test("RU costs follow Graph's throttling limits", () => {
  expect(requestCost('GET', '/users?$select=id&$top=999')).toBe(1);
  expect(requestCost('GET', '/users?$top=999')).toBe(2);
  expect(
    requestCost('GET', 'https://graph.microsoft.com/v1.0/groups/g1/members?$select=id&$top=999&$skiptoken=x'),
  ).toBe(2);
  expect(requestCost('GET', '/groups/g1/members?$select=id&$top=19')).toBe(1);
  expect(requestCost('GET', '/groups/g1/members')).toBe(3);
  expect(requestCost('GET', '/groups/g1/transitiveMembers')).toBe(5);
  expect(requestCost('GET', '/groups?$select=id&$top=999')).toBe(1);
  expect(requestCost('GET', '/users/delta?$deltatoken=abc')).toBe(1);
  expect(requestCost('GET', '/users/u1/memberOf?$expand=x')).toBe(3);
});
