import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SYNC_SETTINGS } from '../../src/config/sync-schema';
import { formatConfigPath, loadConfigFile, parseConfig } from '../../src/config/load';
import { DirectoryError } from '../../src/domain/errors';
import { parseCidr } from '../../src/security/cidr';

const HASH = 'scrypt$N=32768,r=8,p=1$+8+PGQhhvq7yN9xF1YjSxg==$SWOSQ9XHPLCpXRkAc71O6UGf/N7ik9B574ntLrchsNk=';
const ENV = { ADMIN_TOKEN: 'a-long-enough-admin-token' };

const MINIMAL = `
directories:
  - name: corp
    provider: entra
applications:
  - name: jira
    passwordHash: "${HASH}"
    directories: [corp]
`;

const FULL = `
server: { host: 0.0.0.0, port: 9000, contextPath: /crowd, workers: 4 }
dataDir: /var/lib/crowdgate
adminTokens:
  - { name: ops, token: "\${ADMIN_TOKEN}" }
directories:
  - name: corp
    provider: entra
    localGroups: [jira-software-users]
    entra: { tenantId: abc, nested: { anything: [1, 2] } }
  - name: Demo
    provider: demo
    demo: { users: 10 }
applications:
  - name: jira
    passwordHash: "${HASH}"
    allowedAddresses: [10.0.0.0/8, "::1", "::ffff:192.168.0.0/112"]
    directories: [demo, CORP]
trustedProxies: [192.0.2.10]
`;

/** The CONFIGURATION error message thrown by `fn`, or a failure if it does not throw one. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as DirectoryError).code).toBe('CONFIGURATION');
    return (error as DirectoryError).message;
  }
  throw new Error('expected a configuration error');
}

const parse = (text: string, env: NodeJS.ProcessEnv = ENV) => parseConfig(text, 'crowdgate.yaml', env);
const problems = (text: string, env: NodeJS.ProcessEnv = ENV) => errorOf(() => parse(text, env)).split('\n');

describe('parseConfig: valid files', () => {
  it('fills defaults', () => {
    const config = parse(MINIMAL);
    expect(config).toEqual({
      server: { host: '127.0.0.1', port: 8095, contextPath: '', workers: 1 },
      dataDir: './data',
      adminTokens: [],
      directories: [{ name: 'corp', provider: 'entra', localGroups: [], ...DEFAULT_SYNC_SETTINGS, entra: {} }],
      applications: [
        {
          name: 'jira',
          passwordHash: HASH,
          allowedAddresses: [parseCidr('127.0.0.1/32'), parseCidr('::1/128')],
          directories: ['corp'],
        },
      ],
      trustedProxies: [],
    });
  });

  it('reads every field, interpolates, parses CIDRs and canonicalises directory references', () => {
    const config = parse(FULL);
    expect(config.server).toEqual({ host: '0.0.0.0', port: 9000, contextPath: '/crowd', workers: 4 });
    expect(config.dataDir).toBe('/var/lib/crowdgate');
    expect(config.adminTokens).toEqual([{ name: 'ops', token: 'a-long-enough-admin-token' }]);
    expect(config.directories).toEqual([
      {
        name: 'corp',
        provider: 'entra',
        localGroups: ['jira-software-users'],
        ...DEFAULT_SYNC_SETTINGS,
        entra: { tenantId: 'abc', nested: { anything: [1, 2] } },
      },
      {
        name: 'Demo',
        provider: 'demo',
        localGroups: [],
        ...DEFAULT_SYNC_SETTINGS,
        demo: { seed: 'crowdgate-demo', users: 10, groups: 30 },
      },
    ]);
    const [jira] = config.applications;
    expect(jira?.allowedAddresses.map((c) => c.text)).toEqual(['10.0.0.0/8', '::1/128', '192.168.0.0/16']);
    expect(jira?.directories).toEqual(['Demo', 'corp']);
    expect(config.trustedProxies.map((c) => c.text)).toEqual(['192.0.2.10/32']);
  });

  it('gives a demo directory its default settings when the demo key is absent', () => {
    const config = parse('directories: [{ name: d, provider: demo }]');
    expect(config.directories[0]).toEqual({
      name: 'd',
      provider: 'demo',
      localGroups: [],
      ...DEFAULT_SYNC_SETTINGS,
      demo: { seed: 'crowdgate-demo', users: 300, groups: 30 },
    });
  });

  it('reads sync settings, filling what is not given, and names a wrong one', () => {
    const config = parse(`directories:
  - name: d
    provider: demo
    username: { source: samAccountName, lowercase: true, replace: [{ pattern: "[.]", with: "_" }] }
    filters: { groups: [Engineering], guests: exclude, attributes: [{ name: department, equals: [R&D] }] }
    groupMappings: [{ from: Engineering, to: jira-developers }]
    nestedGroups: flatten
    deprovisioning: { deleted: deactivate }
    safety: { maxRemovalShare: 0.05 }
    schedule: { fullMinutes: 60, incrementalSeconds: 0 }
`);
    expect(config.directories[0]).toMatchObject({
      username: {
        source: 'samAccountName',
        stripDomain: false,
        lowercase: true,
        replace: [{ pattern: '[.]', with: '_' }],
      },
      filters: {
        groups: ['Engineering'],
        disabledUsers: 'include',
        guests: 'exclude',
        attributes: [{ name: 'department', equals: ['R&D'] }],
      },
      groupMappings: [{ from: 'Engineering', to: 'jira-developers' }],
      nestedGroups: 'flatten',
      deprovisioning: { disabled: 'deactivate', deleted: 'deactivate' },
      safety: { maxRemovalShare: 0.05, maxRemovals: 500 },
      schedule: { fullMinutes: 60, incrementalSeconds: 0 },
    });
    expect(problems('directories: [{ name: d, provider: demo, nestedGroups: squash }]')[0]).toMatch(
      /^crowdgate\.yaml: directories\[0\]\.nestedGroups: /,
    );
    expect(
      problems('directories: [{ name: d, provider: demo, username: { replace: [{ pattern: "(", with: "" }] } }]')[0],
    ).toMatch(/directories\[0\]\.username\.replace\[0\]\.pattern: must be a valid regular expression/);
  });

  it('accepts integers from environment variables and "/" as the root context path', () => {
    const config = parse('server: { port: "${PORT}", contextPath: / }\ndirectories: [{ name: d, provider: demo }]', {
      PORT: '18095',
    });
    expect(config.server).toEqual({ host: '127.0.0.1', port: 18095, contextPath: '', workers: 1 });
  });

  it('keeps an interpolated value with YAML syntax as a plain string', () => {
    const config = parse('dataDir: "${DIR}"\ndirectories: [{ name: d, provider: demo }]', { DIR: '[a, b]: {c: d}' });
    expect(config.dataDir).toBe('[a, b]: {c: d}');
  });
});

describe('parseConfig: each problem names the file, the key path and what is wrong', () => {
  it('unknown keys, at any depth', () => {
    expect(problems(`${MINIMAL}\nsrever: {}\n`)).toEqual(['crowdgate.yaml: srever: unknown key']);
    expect(problems(`server: { hots: x }\n${MINIMAL}`)).toEqual(['crowdgate.yaml: server.hots: unknown key']);
    expect(problems('directories: [{ name: d, provider: demo, demo: { user: 3 } }]')).toEqual([
      'crowdgate.yaml: directories[0].demo.user: unknown key',
    ]);
  });

  it('wrong enum value', () => {
    expect(problems('directories: [{ name: d, provider: azure }]')).toEqual([
      'crowdgate.yaml: directories[0].provider: expected one of entra, google, okta, demo',
    ]);
  });

  it('missing and wrongly typed values', () => {
    expect(problems('directories: [{ provider: demo }]')).toEqual(['crowdgate.yaml: directories[0].name: is required']);
    expect(problems('server: { port: true }\ndirectories: [{ name: d, provider: demo }]')).toEqual([
      'crowdgate.yaml: server.port: expected a number, got a boolean',
    ]);
    expect(problems('server: { port: 70000 }\ndirectories: [{ name: d, provider: demo }]')).toEqual([
      'crowdgate.yaml: server.port: must be at most 65535',
    ]);
    expect(problems('directories: { name: d }')).toEqual([
      'crowdgate.yaml: directories: expected a list, got a mapping',
    ]);
    expect(problems('')).toEqual(['crowdgate.yaml: expected a mapping, got null (empty value)']);
  });

  it('bad CIDR', () => {
    const text = MINIMAL.replace(
      'directories: [corp]',
      'directories: [corp]\n    allowedAddresses: [10.0.0.0/8, 10.0.0.1/8]',
    );
    expect(problems(text)).toEqual([
      'crowdgate.yaml: applications[0].allowedAddresses[1]: invalid CIDR "10.0.0.1/8": host bits are set (did you mean 10.0.0.0/8?)',
    ]);
    expect(problems(`${MINIMAL}trustedProxies: [proxy.local]\n`)).toEqual([
      'crowdgate.yaml: trustedProxies[0]: invalid CIDR "proxy.local": "proxy.local" is not an IPv4 or IPv6 address',
    ]);
  });

  it('unknown directory in an application, and one listed twice', () => {
    const text = MINIMAL.replace('directories: [corp]', 'directories: [corp, corpx, Corp]');
    expect(problems(text)).toEqual([
      'crowdgate.yaml: applications[0].directories[1]: unknown directory "corpx"',
      'crowdgate.yaml: applications[0].directories[2]: directory "Corp" is listed twice (also directories[0])',
    ]);
  });

  it('duplicate names, case-insensitively', () => {
    const text = `
adminTokens:
  - { name: ops, token: aaaaaaaaaaaaaaaa }
  - { name: OPS, token: aaaaaaaaaaaaaaaa }
directories:
  - { name: corp, provider: entra }
  - { name: CORP, provider: okta }
applications:
  - { name: jira, passwordHash: "${HASH}", directories: [corp] }
  - { name: Jira, passwordHash: "${HASH}", directories: [corp] }
`;
    expect(problems(text)).toEqual([
      'crowdgate.yaml: directories[1].name: duplicate directory name "CORP" (same as directories[0].name; names are case-insensitive)',
      'crowdgate.yaml: applications[1].name: duplicate application name "Jira" (same as applications[0].name; names are case-insensitive)',
      'crowdgate.yaml: adminTokens[1].name: duplicate token name "OPS" (same as adminTokens[0].name; names are case-insensitive)',
      'crowdgate.yaml: adminTokens[1].token: same token as adminTokens[0]',
    ]);
  });

  it('provider settings under the wrong key', () => {
    expect(problems('directories: [{ name: d, provider: entra, okta: { domain: x } }]')).toEqual([
      'crowdgate.yaml: directories[0].okta: settings for provider "okta", but this directory\'s provider is "entra" (put them under "entra")',
    ]);
    expect(problems('directories: [{ name: d, provider: okta, demo: {} }]')[0]).toMatch(
      /^crowdgate\.yaml: directories\[0\]\.demo: settings for provider "demo"/,
    );
  });

  it('field rules: names, tokens, hashes, groups, context path', () => {
    const text = `
server: { contextPath: "crowd/", workers: 0 }
adminTokens: [{ name: "bad name", token: short }]
directories:
  - { name: d, provider: demo, localGroups: ["", " padded", "x\\ty", jira, JIRA] }
applications:
  - { name: jira, passwordHash: "plaintext", directories: [] }
`;
    expect(problems(text)).toEqual([
      'crowdgate.yaml: server.workers: must be at least 1',
      'crowdgate.yaml: server.contextPath: must be "" or a path such as "/crowd" (leading "/", no trailing "/")',
      'crowdgate.yaml: adminTokens[0].name: must be 1 to 64 characters from A-Z a-z 0-9 . _ -',
      'crowdgate.yaml: adminTokens[0].token: must be at least 16 characters',
      'crowdgate.yaml: directories[0].localGroups[0]: must not be empty',
      'crowdgate.yaml: directories[0].localGroups[1]: must not start or end with whitespace',
      'crowdgate.yaml: directories[0].localGroups[2]: must not contain control characters',
      'crowdgate.yaml: directories[0].localGroups[4]: duplicate group "JIRA" (same as localGroups[3]; group names are case-insensitive)',
      'crowdgate.yaml: applications[0].passwordHash: must be a password hash produced by "crowdgate hash-password" (scrypt$...)',
      'crowdgate.yaml: applications[0].directories: must list at least one directory',
    ]);
    expect(
      problems('adminTokens: [{ name: x, token: "sixteen chars ok" }]\ndirectories: [{ name: d, provider: demo }]'),
    ).toEqual([
      'crowdgate.yaml: adminTokens[0].token: must be printable ASCII without spaces (it is sent as a bearer token)',
    ]);
  });

  it('never echoes a secret in a message', () => {
    const message = errorOf(() =>
      parse('adminTokens: [{ name: x, token: "s3cret-tok" }]\ndirectories: [{ name: d, provider: demo }]'),
    );
    expect(message).toBe('crowdgate.yaml: adminTokens[0].token: must be at least 16 characters');
    const hashMessage = errorOf(() => parse(MINIMAL.replace(HASH, 'hunter2-plaintext')));
    expect(hashMessage).not.toContain('hunter2');
  });

  it('malformed YAML, with line and column', () => {
    expect(problems('directories:\n  - name: a: b\n')).toEqual([
      'crowdgate.yaml:2:11: Nested mappings are not allowed in compact mappings',
    ]);
    expect(problems('server:\n  port: 1\n host: x\n')).toEqual([
      'crowdgate.yaml:3:1: All mapping items must start at the same column',
    ]);
    expect(problems('directories:\n  - name: "corp\n')).toEqual([
      expect.stringMatching(/^crowdgate\.yaml:3:1: Missing closing "quote/),
    ]);
  });

  it('duplicate YAML keys, including keys that differ only in YAML type', () => {
    expect(problems('server:\n  port: 1\n  port: 2\ndirectories: [{ name: d, provider: demo }]')).toEqual([
      'crowdgate.yaml:3:3: Map keys must be unique',
    ]);
    expect(problems('directories: [{ name: d, provider: entra, entra: { 1: a, "1": b } }]')).toEqual([
      expect.stringMatching(/^crowdgate\.yaml:1:\d+: Map keys must be unique$/),
    ]);
  });

  it('YAML warnings (unknown tags) are errors, and non-plain values are rejected by type', () => {
    expect(problems('dataDir: !secret x\ndirectories: [{ name: d, provider: demo }]')).toEqual([
      'crowdgate.yaml:1:10: Unresolved tag: !secret',
    ]);
    expect(problems('dataDir: !!binary aGVsbG8=\ndirectories: [{ name: d, provider: demo }]')).toEqual([
      'crowdgate.yaml: dataDir: expected a string, got a non-plain value',
    ]);
  });

  it('unresolved YAML alias', () => {
    expect(problems('dataDir: *nowhere\ndirectories: [{ name: d, provider: demo }]')[0]).toMatch(
      /^crowdgate\.yaml: Unresolved alias/,
    );
  });

  it('unset environment variable, naming the path and the variable', () => {
    expect(problems(MINIMAL.replace('name: jira', 'name: "${APP_NAME}"'), {})).toEqual([
      'crowdgate.yaml: applications[0].name: environment variable APP_NAME is not set',
    ]);
  });

  it('reports several problems at once, one per line', () => {
    const text = 'directories: [{ name: d, provider: x, extra: 1 }]\nbogus: 1\n';
    expect(problems(text)).toEqual([
      'crowdgate.yaml: directories[0].provider: expected one of entra, google, okta, demo',
      'crowdgate.yaml: directories[0].extra: unknown key',
      'crowdgate.yaml: bogus: unknown key',
    ]);
  });
});

describe('loadConfigFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'crowdgate-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('resolves a relative dataDir against the directory of the file', async () => {
    const file = path.join(dir, 'crowdgate.yaml');
    await writeFile(file, `dataDir: ./state\n${MINIMAL}`);
    const config = await loadConfigFile(file, ENV);
    expect(config.dataDir).toBe(path.join(dir, 'state'));
    const defaulted = path.join(dir, 'defaulted.yaml');
    await writeFile(defaulted, MINIMAL);
    expect((await loadConfigFile(defaulted, ENV)).dataDir).toBe(path.join(dir, 'data'));
  });

  it('keeps an absolute dataDir and uses the given env', async () => {
    const file = path.join(dir, 'abs.yaml');
    await writeFile(file, `dataDir: "\${STATE}"\n${MINIMAL}`);
    expect((await loadConfigFile(file, { STATE: '/srv/crowdgate' })).dataDir).toBe('/srv/crowdgate');
  });

  it('names the file in errors', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'directories: [{ name: d, provider: azure }]');
    await expect(loadConfigFile(file, ENV)).rejects.toThrow(
      `${file}: directories[0].provider: expected one of entra, google, okta, demo`,
    );
  });

  it('reports an unreadable file as a configuration error', async () => {
    const file = path.join(dir, 'missing.yaml');
    const error: unknown = await loadConfigFile(file, ENV).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as DirectoryError).code).toBe('CONFIGURATION');
    expect((error as DirectoryError).message).toMatch(new RegExp(`^${file}: cannot read configuration file: ENOENT`));
  });
});

describe('formatConfigPath', () => {
  it('formats keys, indexes and odd keys', () => {
    expect(formatConfigPath([])).toBe('');
    expect(formatConfigPath(['applications', 0, 'directories', 1])).toBe('applications[0].directories[1]');
    expect(formatConfigPath(['a', 'b c'])).toBe('a["b c"]');
  });
});
