import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import { graphql, type GraphQLSchema } from 'graphql';
import { Arg, buildSchema, Query, Resolver } from 'type-graphql';
import { DirectoryInput, directoryInputToConfig } from '../../resolvers/inputs/directory.input';
import { DirectorySettings, toDirectorySettings } from '../../resolvers/types/directory-settings.type';
import { parseDirectoryEntry, type DirectoryConfig, type ProviderKind } from '../../src/config/schema';
import {
  keepStoredSecrets,
  SECRET_SETTINGS,
  secretsSet,
  splitSecrets,
  withSecrets,
} from '../../src/config/secret-settings';
import { parseEntraSettings } from '../../src/providers/entra/config';
import { parseGoogleSettings } from '../../src/providers/google/config';
import { parseOktaSettings } from '../../src/providers/okta/config';

/**
 * DirectoryInput mirrors a `directories:` entry key for key: an entry of the file, sent as it is
 * as GraphQL variables, comes out of directoryInputToConfig as the same plain object, which the
 * file's schema and the connector's parser accept. Secrets split off and back, and are never
 * answered by toDirectorySettings.
 */
const ENTRA_SECRET = 'abc8Q~entra-client-secret-value-0123456789';
const GOOGLE_KEY = JSON.stringify({
  type: 'service_account',
  client_email: 'sync@project.iam.gserviceaccount.com',
  private_key: '-----BEGIN PRIVATE KEY-----\ngoogle-key-material\n-----END PRIVATE KEY-----\n',
});
const OKTA_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();
const OKTA_TOKEN = '00okta-api-token-value-0123456789abcdef';

const ENTRIES: Record<ProviderKind, Record<string, unknown>> = {
  entra: {
    name: 'corp',
    provider: 'entra',
    entra: {
      tenantId: 'contoso.onmicrosoft.com',
      clientId: '7f3c2a10-5d4e-4b6a-9c8d-0e1f2a3b4c5d',
      clientSecret: ENTRA_SECRET,
      authorityHost: 'https://login.microsoftonline.us',
      graphBaseUrl: 'https://graph.microsoft.us',
      groupTypes: 'security',
      passwordAuthentication: true,
      publicClientId: '0b7e1f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
      memberReads: 'pages',
      resourceUnitBudget: 4000,
    },
    username: { source: 'email', stripDomain: true, lowercase: true, replace: [{ pattern: '^adm-', with: '' }] },
    filters: {
      groups: ['Staff'],
      disabledUsers: 'exclude',
      guests: 'exclude',
      attributes: [
        { name: 'department', equals: ['Sales', 'R&D'] },
        { name: 'domain', matches: '^corp\\.' },
      ],
    },
    localGroups: ['jira-users'],
    groupMappings: [{ from: 'Engineering', to: 'jira-developers' }],
    nestedGroups: 'flatten',
    deprovisioning: { disabled: 'remove', deleted: 'deactivate' },
    safety: { maxRemovalShare: 0.25, maxRemovals: 50 },
    schedule: { fullMinutes: 30, incrementalSeconds: 0 },
  },
  google: {
    name: 'workspace',
    provider: 'google',
    google: {
      domain: 'example.com',
      customerId: 'C03az79cb',
      serviceAccountKey: GOOGLE_KEY,
      adminEmail: 'admin@example.com',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      rootUrl: 'https://admin.googleapis.com/',
      orgUnits: ['/Sales', '/Engineering'],
      queriesPerMinute: 1200,
      maxConcurrency: 5,
    },
    localGroups: [],
    schedule: { fullMinutes: 60 },
  },
  okta: {
    name: 'okta',
    provider: 'okta',
    okta: {
      orgUrl: 'https://example.okta.com',
      clientId: '0oa1b2c3d4e5f6g7h8i9',
      privateKey: OKTA_KEY,
      keyId: 'kid-1',
      scopes: ['okta.users.read', 'okta.groups.read'],
      groupTypes: ['OKTA_GROUP', 'APP_GROUP'],
      userStatuses: ['ACTIVE', 'SUSPENDED'],
      rateLimitShare: 0.3,
      passwordAuthentication: true,
    },
    filters: { groups: ['Everyone'] },
  },
  demo: {
    name: 'demo',
    provider: 'demo',
    demo: { seed: 'crowdgate-demo', users: 40, groups: 5 },
    localGroups: ['confluence-users'],
  },
};

const SECRET_VALUES = [ENTRA_SECRET, GOOGLE_KEY, OKTA_KEY, OKTA_TOKEN];

/** What the resolver was handed and what it made of it. */
const probe: { received?: { input: DirectoryInput; converted: ReturnType<typeof directoryInputToConfig> } } = {};

@Resolver()
class ProbeResolver {
  @Query(() => Boolean)
  convert(@Arg('input', () => DirectoryInput) input: DirectoryInput): boolean {
    probe.received = { input, converted: directoryInputToConfig(input) };
    return true;
  }

  @Query(() => DirectorySettings)
  settings(@Arg('input', () => DirectoryInput) input: DirectoryInput): DirectorySettings {
    const { entry } = directoryInputToConfig(input);
    const config = parseDirectoryEntry(entry);
    return toDirectorySettings(config, new Set());
  }
}

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema({ resolvers: [ProbeResolver], validate: false });
});

async function convert(variables: Record<string, unknown>): Promise<ReturnType<typeof directoryInputToConfig>> {
  delete probe.received;
  const result = await graphql({
    schema,
    source: 'query ($input: DirectoryInput!) { convert(input: $input) }',
    variableValues: { input: variables },
  });
  expect(result.errors).toBeUndefined();
  const received = lastReceived();
  if (received === undefined) throw new Error('the resolver was not called');
  return received.converted;
}

/** Read through a call: the resolver sets it while `graphql()` runs, which narrowing cannot see. */
function lastReceived(): typeof probe.received {
  return probe.received;
}

function isPlain(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(isPlain);
  if (typeof value !== 'object' || value === null) return true;
  return Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isPlain);
}

/** The provider block of a parsed entry (unparsed mapping), with the secrets of a split. */
function split(config: DirectoryConfig): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  switch (config.provider) {
    case 'demo':
      return { settings: {}, secrets: {} };
    case 'entra':
      return splitSecrets('entra', config.entra);
    case 'google':
      return splitSecrets('google', config.google);
    case 'okta':
      return splitSecrets('okta', config.okta);
  }
}

/** The entry as stored: the provider block without its secrets. */
function withoutSecrets(config: DirectoryConfig): DirectoryConfig {
  const { settings } = split(config);
  switch (config.provider) {
    case 'demo':
      return config;
    case 'entra':
      return { ...config, entra: settings };
    case 'google':
      return { ...config, google: settings };
    case 'okta':
      return { ...config, okta: settings };
  }
}

describe('directoryInputToConfig', () => {
  test.each(Object.keys(ENTRIES) as ProviderKind[])(
    '%s: a file entry sent as variables comes back as the same plain entry, which the schemas accept',
    async (kind) => {
      const entry = ENTRIES[kind];
      const { entry: converted, enabled } = await convert(entry);
      // type-graphql handed over instances of the input classes; the result is plain data.
      expect(probe.received?.input).toBeInstanceOf(DirectoryInput);
      expect(isPlain(converted)).toBe(true);
      expect(converted).toEqual(entry);
      expect(enabled).toBeUndefined();
      const config = parseDirectoryEntry(converted);
      expect(config.provider).toBe(kind);
      if (config.provider === 'entra') expect(parseEntraSettings(config.entra, config.name).clientId).toBeDefined();
      if (config.provider === 'google')
        expect(parseGoogleSettings(config.google, config.name).domain).toBe('example.com');
      if (config.provider === 'okta') expect(parseOktaSettings(config.okta, config.name).credential.kind).toBe('oauth');
      if (config.provider === 'demo') expect(config.demo).toEqual({ seed: 'crowdgate-demo', users: 40, groups: 5 });
    },
  );

  test('nulls are dropped at every level, empty lists kept, enabled returned beside the entry', async () => {
    const { entry, enabled } = await convert({
      name: 'demo',
      provider: 'demo',
      demo: { seed: null, users: 5, groups: null },
      username: null,
      filters: { groups: null, guests: 'exclude', attributes: [{ name: 'department', equals: null, matches: '^S' }] },
      localGroups: [],
      groupMappings: null,
      enabled: false,
    });
    expect(entry).toEqual({
      name: 'demo',
      provider: 'demo',
      demo: { users: 5 },
      filters: { guests: 'exclude', attributes: [{ name: 'department', matches: '^S' }] },
      localGroups: [],
    });
    expect(enabled).toBe(false);
    expect(toDirectorySettings(parseDirectoryEntry(entry), new Set()).demo).toEqual({
      seed: 'crowdgate-demo',
      users: 5,
      groups: 30,
    });
  });

  test('Entra certificate as PEM text and its password are inputs', async () => {
    const { entry } = await convert({
      name: 'corp',
      provider: 'entra',
      entra: { tenantId: 't.example.com', clientId: 'c', certificate: 'PEM', certificatePassword: 'pw' },
    });
    expect(entry['entra']).toEqual({
      tenantId: 't.example.com',
      clientId: 'c',
      certificate: 'PEM',
      certificatePassword: 'pw',
    });
  });
});

describe('secrets', () => {
  test('SECRET_SETTINGS names every confidential key', () => {
    expect(SECRET_SETTINGS).toEqual({
      entra: ['clientSecret', 'certificatePassword', 'certificate'],
      google: ['serviceAccountKey'],
      okta: ['apiToken', 'privateKey'],
      demo: [],
    });
  });

  test.each(['entra', 'google', 'okta'] as const)('%s: split and merged back, the block is unchanged', (kind) => {
    const block = ENTRIES[kind][kind] as Record<string, unknown>;
    const { settings, secrets } = splitSecrets(kind, block);
    for (const key of SECRET_SETTINGS[kind]) expect(settings).not.toHaveProperty(key);
    expect(JSON.stringify(settings)).not.toMatch(new RegExp(SECRET_VALUES.map(escape).join('|')));
    expect(Object.keys(secrets).length).toBe(1);
    expect(withSecrets(settings, secrets)).toEqual(block);
  });

  test('secretsSet: a flag per confidential key', () => {
    expect(secretsSet('entra', { clientSecret: ENTRA_SECRET })).toEqual({
      clientSecret: true,
      certificatePassword: false,
      certificate: false,
    });
    expect(secretsSet('okta', { privateKey: OKTA_KEY, apiToken: '' })).toEqual({ apiToken: false, privateKey: true });
    expect(secretsSet('demo', {})).toEqual({});
  });

  test('an update that leaves a secret out keeps it, unless it chose another credential', () => {
    const stored = { clientSecret: ENTRA_SECRET };
    const same = splitSecrets('entra', { tenantId: 't', clientId: 'c' });
    expect(keepStoredSecrets('entra', same, stored)).toEqual(stored);
    const replaced = splitSecrets('entra', { tenantId: 't', clientSecret: 'new-value' });
    expect(keepStoredSecrets('entra', replaced, stored)).toEqual({ clientSecret: 'new-value' });
    const toFile = splitSecrets('entra', { tenantId: 't', certificatePath: '/etc/entra.pem' });
    expect(keepStoredSecrets('entra', toFile, stored)).toEqual({});
    const toPem = splitSecrets('entra', { certificate: 'PEM' });
    expect(keepStoredSecrets('entra', toPem, { certificate: 'OLD', certificatePassword: 'pw' })).toEqual({
      certificate: 'PEM',
      certificatePassword: 'pw',
    });
    expect(keepStoredSecrets('entra', toPem, stored)).toEqual({ certificate: 'PEM' });
    const oauth = splitSecrets('okta', { orgUrl: 'https://example.okta.com', clientId: '0oa1' });
    expect(keepStoredSecrets('okta', oauth, { apiToken: OKTA_TOKEN })).toEqual({});
    expect(keepStoredSecrets('okta', oauth, { privateKey: OKTA_KEY })).toEqual({ privateKey: OKTA_KEY });
    const keyFile = splitSecrets('okta', { clientId: '0oa1', privateKeyFile: '/etc/okta.pem' });
    expect(keepStoredSecrets('okta', keyFile, { privateKey: OKTA_KEY })).toEqual({});
    const googleFile = splitSecrets('google', { serviceAccountKeyFile: '/etc/key.json' });
    expect(keepStoredSecrets('google', googleFile, { serviceAccountKey: GOOGLE_KEY })).toEqual({});
  });
});

describe('toDirectorySettings', () => {
  test.each(Object.keys(ENTRIES) as ProviderKind[])(
    '%s: no secret value, stored (sealed) or inline; *Set flags as stored',
    (kind) => {
      const inline = parseDirectoryEntry(ENTRIES[kind]);
      const { secrets } = split(inline);
      const stored = withoutSecrets(inline);
      const fromStore = toDirectorySettings(stored, new Set(Object.keys(secrets)));
      const fromFile = toDirectorySettings(inline, new Set());
      for (const answer of [fromStore, fromFile]) {
        const text = JSON.stringify(answer);
        for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
      }
      expect(fromFile).toEqual(fromStore);
      // Without the secret, the flags are false.
      const none = toDirectorySettings(stored, new Set());
      if (kind === 'entra') {
        expect(fromStore.entra).toMatchObject({
          clientSecretSet: true,
          certificateSet: false,
          certificatePasswordSet: false,
        });
        expect(none.entra?.clientSecretSet).toBe(false);
      }
      if (kind === 'google') {
        expect(fromStore.google?.serviceAccountKeySet).toBe(true);
        expect(none.google?.serviceAccountKeySet).toBe(false);
      }
      if (kind === 'okta') {
        expect(fromStore.okta).toMatchObject({ apiTokenSet: false, privateKeySet: true });
        expect(none.okta?.privateKeySet).toBe(false);
      }
    },
  );

  test('the entry as written, with the defaults of the file and of the connector', () => {
    const answer = toDirectorySettings(parseDirectoryEntry(ENTRIES.entra), new Set());
    expect(answer).toEqual({
      name: 'corp',
      provider: 'entra',
      entra: {
        tenantId: 'contoso.onmicrosoft.com',
        clientId: '7f3c2a10-5d4e-4b6a-9c8d-0e1f2a3b4c5d',
        clientSecretSet: true,
        certificatePath: null,
        certificateSet: false,
        certificatePasswordSet: false,
        authorityHost: 'https://login.microsoftonline.us',
        graphBaseUrl: 'https://graph.microsoft.us',
        caCertificate: null,
        groupTypes: 'security',
        passwordAuthentication: true,
        publicClientId: '0b7e1f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
        memberReads: 'pages',
        resourceUnitBudget: 4000,
      },
      google: null,
      okta: null,
      demo: null,
      username: { source: 'email', stripDomain: true, lowercase: true, replace: [{ pattern: '^adm-', with: '' }] },
      filters: {
        groups: ['Staff'],
        disabledUsers: 'exclude',
        guests: 'exclude',
        attributes: [
          { name: 'department', equals: ['Sales', 'R&D'], matches: null },
          { name: 'domain', equals: null, matches: '^corp\\.' },
        ],
      },
      localGroups: ['jira-users'],
      groupMappings: [{ from: 'Engineering', to: 'jira-developers' }],
      nestedGroups: 'flatten',
      deprovisioning: { disabled: 'remove', deleted: 'deactivate' },
      safety: { maxRemovalShare: 0.25, maxRemovals: 50 },
      schedule: { fullMinutes: 30, incrementalSeconds: 0 },
    });

    const entra = toDirectorySettings(
      parseDirectoryEntry({
        name: 'e',
        provider: 'entra',
        entra: { tenantId: 't.example.com', certificatePath: '/p.pem' },
      }),
      new Set(['certificatePassword']),
    ).entra;
    expect(entra).toMatchObject({
      clientId: null,
      certificatePath: '/p.pem',
      certificatePasswordSet: true,
      authorityHost: 'https://login.microsoftonline.com',
      graphBaseUrl: 'https://graph.microsoft.com',
      groupTypes: 'all',
      passwordAuthentication: false,
      memberReads: 'delta',
      resourceUnitBudget: 7200,
    });

    const okta = toDirectorySettings(
      parseDirectoryEntry({
        name: 'o',
        provider: 'okta',
        okta: { orgUrl: 'https://example.okta.com', rateLimitShare: '0.2' },
      }),
      new Set(['apiToken']),
    );
    expect(okta.okta).toEqual({
      orgUrl: 'https://example.okta.com',
      apiTokenSet: true,
      clientId: null,
      privateKeySet: false,
      privateKeyFile: null,
      keyId: null,
      scopes: null,
      groupTypes: ['OKTA_GROUP', 'APP_GROUP', 'BUILT_IN'],
      userStatuses: expect.arrayContaining(['ACTIVE', 'SUSPENDED', 'DEPROVISIONED']) as unknown as string[],
      rateLimitShare: 0.2,
      passwordAuthentication: false,
    });
    expect(okta.schedule).toEqual({ fullMinutes: 15, incrementalSeconds: 60 });

    const google = toDirectorySettings(
      parseDirectoryEntry({
        name: 'g',
        provider: 'google',
        google: { customerId: 'my_customer', queriesPerMinute: '600' },
      }),
      new Set(),
    ).google;
    expect(google).toMatchObject({
      serviceAccountKeySet: false,
      tokenUrl: 'https://oauth2.googleapis.com/token',
      rootUrl: 'https://admin.googleapis.com/',
      orgUnits: [],
      queriesPerMinute: 600,
      maxConcurrency: 4,
    });
  });

  test.each(Object.keys(ENTRIES) as ProviderKind[])('%s: answered through GraphQL', async (kind) => {
    const result = await graphql({
      schema,
      source: `query ($input: DirectoryInput!) {
        settings(input: $input) {
          name provider
          entra { tenantId clientSecretSet certificateSet certificatePasswordSet certificatePath resourceUnitBudget }
          google { domain serviceAccountKeySet maxConcurrency orgUnits }
          okta { orgUrl apiTokenSet privateKeySet scopes rateLimitShare }
          demo { seed users groups }
          username { source replace { pattern with } }
          filters { groups attributes { name equals matches } }
          localGroups groupMappings { from to } nestedGroups
          deprovisioning { disabled deleted } safety { maxRemovalShare maxRemovals }
          schedule { fullMinutes incrementalSeconds }
        }
      }`,
      variableValues: { input: ENTRIES[kind] },
    });
    expect(result.errors).toBeUndefined();
    const data = result.data?.['settings'] as Record<string, unknown>;
    expect(data['name']).toBe(ENTRIES[kind]['name']);
    expect(data[kind]).not.toBeNull();
    const text = JSON.stringify(data);
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
