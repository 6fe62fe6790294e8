import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig } from '../../src/config/demo';
import type { Config } from '../../src/config/schema';
import { silentLogger } from '../../src/logging/logger';
import { startCrowdgate, type Crowdgate } from '../../src/server/bootstrap';

/**
 * The administration API over HTTP against a real crowdgate: the file's demo directory,
 * application and token (managedBy FILE) beside directories, applications and tokens made at
 * runtime (managedBy API), kept in the store with their secrets sealed.
 */
const FILE_LABEL = 'crowdgate-test.yaml';
const ENTRA_SECRET = 'Zx8Q~entra-client-secret-value-0123456789';

interface Answer<T> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions: { code: string; field?: string; problems?: unknown[] } }>;
}

describe('administration API', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-admin-'));
  let config: Config;
  let crowdgate: Crowdgate;

  beforeAll(async () => {
    const demo = await demoConfig({ port: 0, dataDir });
    config = {
      ...demo,
      directories: demo.directories.map((d) => ({ ...d, demo: { seed: 'admin', users: 12, groups: 3 } })),
    };
    crowdgate = await startCrowdgate(config, silentLogger, { fileLabel: FILE_LABEL });
  });
  afterAll(async () => {
    await crowdgate.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function graphql<T>(query: string, variables: object = {}, token = 'demo'): Promise<Answer<T>> {
    const response = await fetch(`${crowdgate.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as Omit<Answer<T>, 'status'>) };
  }

  const crowd = (path: string, application: string, password: string) =>
    fetch(`${crowdgate.server.url}/rest/usermanagement/1${path}`, {
      headers: {
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`${application}:${password}`).toString('base64')}`,
      },
    });

  /** Polls (bounded) until `check` holds: configuration changes and first runs complete in the background. */
  async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
    for (let attempt = 0; attempt < 600; attempt++) {
      const value = await read();
      if (check(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  const entraDirectory = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    provider: 'entra',
    // Disabled: nothing may call Microsoft's real endpoints from a test.
    enabled: false,
    entra: {
      tenantId: '11111111-2222-3333-4444-555555555555',
      clientId: '66666666-7777-8888-9999-000000000000',
      clientSecret: ENTRA_SECRET,
      ...extra,
    },
  });

  test('the file’s entries are listed as FILE and are read-only, naming the file', async () => {
    const listed = await graphql<{ directories: Array<{ name: string; managedBy: string; version: number }> }>(
      '{ directories { name managedBy version enabled status } }',
    );
    expect(listed.data!.directories).toEqual([
      expect.objectContaining({ name: 'demo', managedBy: 'FILE', version: 1 }),
    ]);
    const update = await graphql(
      'mutation($input: DirectoryInput!) { updateDirectory(name: "demo", input: $input) { name } }',
      {
        input: { name: 'demo', provider: 'demo' },
      },
    );
    expect(update.errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect(update.errors![0]!.message).toContain(FILE_LABEL);
    const taken = await graphql('mutation($input: DirectoryInput!) { createDirectory(input: $input) { name } }', {
      input: { name: 'DEMO', provider: 'demo' },
    });
    expect(taken.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    const app = await graphql('mutation { deleteApplication(name: "demo") }');
    expect(app.errors![0]).toMatchObject({
      extensions: { code: 'FORBIDDEN' },
      message: expect.stringContaining(FILE_LABEL),
    });
  });

  test('bad directory inputs are refused with the field path, and nothing changes', async () => {
    const create = (input: object) =>
      graphql('mutation($input: DirectoryInput!) { createDirectory(input: $input) { name } }', { input });
    const cases: Array<[object, string]> = [
      [{ name: 'x1', provider: 'ldap' }, 'provider'],
      [{ name: 'x2', provider: 'entra', okta: { orgUrl: 'https://a.okta.com' } }, 'okta'],
      [{ ...entraDirectory('x3'), entra: { ...entraDirectory('x3').entra, tenantId: 'common' } }, 'entra.tenantId'],
      [
        {
          name: 'x4',
          provider: 'google',
          google: { adminEmail: 'admin@example.com', serviceAccountKey: '{"type":"user"}' },
        },
        'google',
      ],
      [{ name: 'bad name!', provider: 'demo' }, 'name'],
      [{ name: 'x5', provider: 'demo', localGroups: ['ok', ' spaced'] }, 'localGroups[1]'],
    ];
    for (const [input, field] of cases) {
      const answer = await create(input);
      expect(answer.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
      expect(answer.errors![0]!.extensions.field).toMatch(new RegExp(`^${field.replace(/[[\]().]/g, '\\$&')}`));
      expect(answer.errors![0]!.message).not.toContain(ENTRA_SECRET);
    }
    const listed = await graphql<{ directories: Array<{ name: string }> }>('{ directories { name } }');
    expect(listed.data!.directories.map((d) => d.name)).toEqual(['demo']);
  });

  test('a directory made through the API is synchronised at once and served; move and delete follow', async () => {
    const created = await graphql<{ createDirectory: { name: string; managedBy: string; version: number } }>(
      'mutation($input: DirectoryInput!) { createDirectory(input: $input) { name managedBy version position } }',
      {
        input: {
          name: 'second',
          provider: 'demo',
          demo: { seed: 'second', users: 8, groups: 2 },
          localGroups: ['confluence-users'],
        },
      },
    );
    expect(created.data!.createDirectory).toMatchObject({ name: 'second', managedBy: 'API', version: 1, position: 1 });
    const synced = await eventually(
      () =>
        graphql<{ directories: Array<{ name: string; status: string; counts: { users: number } }> }>(
          '{ directories { name status counts { users } } }',
        ),
      (a) => a.data!.directories.some((d) => d.name === 'second' && d.status === 'OK'),
      'the new directory’s first run',
    );
    expect(synced.data!.directories.find((d) => d.name === 'second')!.counts.users).toBeGreaterThan(0);
    const users = await graphql<{ users: { totalCount: number } }>('{ users(directories: ["second"]) { totalCount } }');
    expect(users.data!.users.totalCount).toBeGreaterThan(0);

    const moved = await graphql<{ moveDirectory: Array<{ name: string; position: number }> }>(
      'mutation { moveDirectory(name: "second", position: 0) { name position } }',
    );
    expect(moved.data!.moveDirectory).toEqual([
      { name: 'second', position: 0 },
      { name: 'demo', position: 1 },
    ]);
    const outOfRange = await graphql('mutation { moveDirectory(name: "second", position: 2) { name } }');
    expect(outOfRange.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'position' });

    // An application that uses it keeps it from being deleted, unless detached.
    const app = await graphql<{ createApplication: { generatedPassword: string } }>(
      'mutation { createApplication(input: { name: "confluence", directories: ["second", "demo"] }) { generatedPassword } }',
    );
    expect(app.data!.createApplication.generatedPassword).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const refused = await graphql('mutation { deleteDirectory(name: "second") }');
    expect(refused.errors![0]!.extensions.code).toBe('CONFLICT');
    expect(refused.errors![0]!.message).toContain('"confluence"');
    const deleted = await graphql<{ deleteDirectory: boolean }>(
      'mutation { deleteDirectory(name: "second", detachApplications: true) }',
    );
    expect(deleted.data!.deleteDirectory).toBe(true);
    const after = await graphql<{
      directories: Array<{ name: string }>;
      applications: Array<{ name: string; directories: string[] }>;
    }>('{ directories { name } applications { name directories } }');
    expect(after.data!.directories.map((d) => d.name)).toEqual(['demo']);
    expect(after.data!.applications.find((a) => a.name === 'confluence')!.directories).toEqual(['demo']);
    const gone = await graphql('{ users(directories: ["second"]) { totalCount } }');
    expect(gone.errors![0]!.extensions.code).toBe('NOT_FOUND');
  });

  test('settings not saved yet: the connection test and a preview that writes nothing, with the plan for an existing directory', async () => {
    const before = await graphql<{ directories: Array<{ name: string }> }>('{ directories { name } }');
    const tested = await graphql<{
      testDirectorySettings: { ok: boolean; messages: string[]; findings: Array<{ code: string; severity: string }> };
    }>(
      'query($input: DirectoryInput!) { testDirectorySettings(input: $input) { ok messages findings { code severity fix } } }',
      { input: { name: 'trial', provider: 'demo', demo: { seed: 'trial', users: 6, groups: 2 } } },
    );
    expect(tested.data!.testDirectorySettings.ok).toBe(true);
    expect(tested.data!.testDirectorySettings.findings).toContainEqual(
      expect.objectContaining({ code: 'OK', severity: 'INFO' }),
    );
    const preview = await graphql<{
      previewDirectory: {
        counts: { users: number; activeUsers: number; groups: number; memberships: number };
        users: Array<{ name: string; groups: string[] }>;
        groups: Array<{ name: string; local: boolean; members: number }>;
        plan: null;
      };
    }>(
      'query($input: DirectoryInput!) { previewDirectory(input: $input, sample: 3) { counts { users activeUsers groups memberships } users { name groups } groups { name local members } plan { counts { usersAdded } } } }',
      {
        input: {
          name: 'trial',
          provider: 'demo',
          demo: { seed: 'trial', users: 6, groups: 2 },
          localGroups: ['jira-software-users'],
          username: { stripDomain: true, lowercase: true },
        },
      },
    );
    const p = preview.data!.previewDirectory;
    expect(p.counts.users).toBeGreaterThan(0);
    expect(p.users).toHaveLength(Math.min(3, p.counts.users));
    expect(
      p.users.every(
        (u) => u.groups.includes('jira-software-users') && !u.name.includes('@') && u.name === u.name.toLowerCase(),
      ),
    ).toBe(true);
    expect(p.groups.find((g) => g.name === 'jira-software-users') ?? p.groups.some((g) => g.local)).toBeTruthy();
    expect(p.plan).toBeNull();

    // The file's demo directory with one more local group: the plan says who joins it, nothing is applied.
    const counts = await graphql<{ directories: Array<{ counts: { memberships: number } }> }>(
      '{ directories { name counts { memberships } } }',
    );
    const planned = await graphql<{
      previewDirectory: { plan: { counts: { usersAdded: number; membershipsAdded: number; groupsAdded: number } } };
    }>(
      'query($input: DirectoryInput!) { previewDirectory(input: $input, sample: 0) { plan { counts { usersAdded groupsAdded membershipsAdded } } } }',
      {
        input: {
          name: 'demo',
          provider: 'demo',
          demo: { seed: 'admin', users: 12, groups: 3 },
          localGroups: ['jira-software-users', 'confluence-users'],
          username: { stripDomain: true },
        },
      },
    );
    const plan = planned.data!.previewDirectory.plan.counts;
    expect(plan).toMatchObject({ usersAdded: 0, groupsAdded: 1 });
    expect(plan.membershipsAdded).toBeGreaterThan(0);
    const after = await graphql<{ directories: Array<{ name: string; counts: { memberships: number } }> }>(
      '{ directories { name counts { memberships } } }',
    );
    expect(after.data!.directories).toEqual(counts.data!.directories);
    expect(after.data!.directories.map((d) => d.name)).toEqual(before.data!.directories.map((d) => d.name));
  });

  test('a new application logs in at once with its generated password; a deleted one cannot', async () => {
    const created = await graphql<{
      createApplication: {
        application: {
          name: string;
          managedBy: string;
          connectionInstructions: { serverUrl: string; permission: string };
        };
        generatedPassword: string;
      };
    }>(
      'mutation { createApplication(input: { name: "bitbucket", directories: ["demo"] }) { application { name managedBy connectionInstructions { serverUrl permission } } generatedPassword } }',
    );
    const { application, generatedPassword } = created.data!.createApplication;
    expect(application).toMatchObject({
      name: 'bitbucket',
      managedBy: 'API',
      connectionInstructions: { permission: 'Read Only' },
    });
    expect(application.connectionInstructions.serverUrl).toBe(crowdgate.server.url);
    expect((await crowd('/search?entity-type=user&max-results=1', 'bitbucket', generatedPassword)).status).toBe(200);
    expect((await crowd('/search?entity-type=user&max-results=1', 'bitbucket', 'wrong-password-123')).status).toBe(401);

    const reset = await graphql<{ setApplicationPassword: { generatedPassword: string | null } }>(
      'mutation { setApplicationPassword(name: "bitbucket", password: "a-chosen-password-42") { generatedPassword } }',
    );
    expect(reset.data!.setApplicationPassword.generatedPassword).toBeNull();
    expect((await crowd('/search?entity-type=user&max-results=1', 'bitbucket', 'a-chosen-password-42')).status).toBe(
      200,
    );

    const stale = await graphql(
      'mutation { updateApplication(name: "bitbucket", input: { name: "bitbucket", enabled: false }, expectedVersion: 1) { application { version } } }',
    );
    expect(stale.errors![0]!.extensions.code).toBe('CONFLICT');
    expect(stale.errors![0]!.message).toContain('version 2, not 1');

    // Disabled: Crowd's 403 for an inactive application, whatever the password; enabled again: back.
    const disable = (enabled: boolean, version: number) =>
      graphql(
        `mutation { updateApplication(name: "bitbucket", input: { name: "bitbucket", enabled: ${enabled} }, expectedVersion: ${version}) { application { version } } }`,
      );
    expect((await disable(false, 2)).errors).toBeUndefined();
    const inactive = await crowd('/search?entity-type=user&max-results=1', 'bitbucket', 'a-chosen-password-42');
    expect(inactive.status).toBe(403);
    expect(await inactive.text()).toBe("Application 'bitbucket' is inactive");
    expect((await crowd('/search?entity-type=user&max-results=1', 'bitbucket', 'wrong')).status).toBe(403);
    expect((await disable(true, 3)).errors).toBeUndefined();
    expect((await crowd('/search?entity-type=user&max-results=1', 'bitbucket', 'a-chosen-password-42')).status).toBe(
      200,
    );

    await graphql('mutation { deleteApplication(name: "bitbucket") }');
    expect((await crowd('/search?entity-type=user&max-results=1', 'bitbucket', 'a-chosen-password-42')).status).toBe(
      401,
    );
  });

  test('secrets are write-only, sealed in the store, kept when left out of an update, and survive a restart', async () => {
    const created = await graphql<{ createDirectory: { settings: { entra: { clientSecretSet: boolean } } } }>(
      'mutation($input: DirectoryInput!) { createDirectory(input: $input) { settings { entra { tenantId clientSecretSet } } status } }',
      { input: entraDirectory('corp-entra') },
    );
    expect(created.data!.createDirectory.settings.entra.clientSecretSet).toBe(true);
    expect(JSON.stringify(created)).not.toContain(ENTRA_SECRET);

    const updated = await graphql<{
      updateDirectory: { version: number; settings: { entra: { clientSecretSet: boolean; groupTypes: string } } };
    }>(
      'mutation($input: DirectoryInput!) { updateDirectory(name: "corp-entra", input: $input, expectedVersion: 1) { version settings { entra { clientSecretSet groupTypes } } } }',
      {
        input: {
          name: 'corp-entra',
          provider: 'entra',
          enabled: false,
          entra: {
            tenantId: '11111111-2222-3333-4444-555555555555',
            clientId: '66666666-7777-8888-9999-000000000000',
            groupTypes: 'security',
          },
        },
      },
    );
    expect(updated.data!.updateDirectory).toEqual({
      version: 2,
      settings: { entra: { clientSecretSet: true, groupTypes: 'security' } },
    });
    // A stored secret follows its endpoint: settings that would send it to another tenant need it again.
    const moved = await graphql(
      'mutation($input: DirectoryInput!) { updateDirectory(name: "corp-entra", input: $input) { version } }',
      {
        input: {
          ...entraDirectory('corp-entra'),
          entra: { tenantId: 'contoso.onmicrosoft.com', clientId: '66666666-7777-8888-9999-000000000000' },
        },
      },
    );
    expect(moved.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'entra.clientSecret' });

    // The database file and its write-ahead log: the settings are there, the secret is not.
    const database = Buffer.concat(
      readdirSync(dataDir)
        .filter((file) => file.startsWith('crowdgate.sqlite'))
        .map((file) => readFileSync(join(dataDir, file))),
    );
    expect(database.includes(Buffer.from('66666666-7777-8888-9999-000000000000'))).toBe(true);
    expect(database.includes(Buffer.from(ENTRA_SECRET))).toBe(false);

    await crowdgate.stop();
    crowdgate = await startCrowdgate(config, silentLogger, { fileLabel: FILE_LABEL });
    const reloaded = crowdgate.runtime.current().directories.find((d) => d.config.name === 'corp-entra')!;
    expect(reloaded).toMatchObject({ managedBy: 'API', version: 2, enabled: false });
    expect((reloaded.config as { entra: Record<string, unknown> }).entra.clientSecret).toBe(ENTRA_SECRET);
  });

  test('tokens: created once, READ refused on mutations, revoked at once; every mutation is audited with secrets redacted', async () => {
    const created = await graphql<{ createAdminToken: { token: string; adminToken: { name: string; scope: string } } }>(
      'mutation { createAdminToken(name: "dashboard", scope: READ) { token adminToken { name scope } } }',
    );
    const { token, adminToken } = created.data!.createAdminToken;
    expect(adminToken).toEqual({ name: 'dashboard', scope: 'READ' });
    const again = await graphql('mutation { createAdminToken(name: "DASHBOARD", scope: ADMIN) { token } }');
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    expect(
      (await graphql<{ directories: unknown[] }>('{ directories { name } }', {}, token)).data!.directories.length,
    ).toBeGreaterThan(0);
    const refused = await graphql('mutation { deleteApplication(name: "confluence") }', {}, token);
    expect(refused.status).toBe(403);
    expect(refused.errors![0]!.extensions.code).toBe('FORBIDDEN');
    const tokens = await graphql<{
      adminTokens: Array<{ name: string; managedBy: string; lastUsedAt: string | null }>;
    }>('{ adminTokens { name managedBy lastUsedAt } }');
    expect(tokens.data!.adminTokens.map(({ name, managedBy }) => ({ name, managedBy }))).toEqual([
      { name: 'demo', managedBy: 'FILE' },
      { name: 'dashboard', managedBy: 'API' },
    ]);
    expect(tokens.data!.adminTokens[1]!.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(tokens)).not.toContain(token);

    await graphql('mutation { revokeAdminToken(name: "dashboard") }');
    expect((await graphql('{ directories { name } }', {}, token)).status).toBe(401);

    const audit = await graphql<{
      auditLog: {
        entries: Array<{
          operation: string;
          principal: string;
          arguments: string;
          outcome: string;
          error: string | null;
        }>;
      };
    }>('{ auditLog(first: 100) { entries { operation principal arguments outcome error } } }');
    const entries = audit.data!.auditLog.entries;
    expect(JSON.stringify(entries)).not.toContain(ENTRA_SECRET);
    expect(JSON.stringify(entries)).not.toContain('a-chosen-password-42');
    const entra = entries.find((e) => e.operation === 'createDirectory' && e.arguments.includes('corp-entra'))!;
    expect(JSON.parse(entra.arguments)).toMatchObject({ input: { entra: { clientSecret: '[redacted]' } } });
    expect(entra).toMatchObject({ principal: 'demo', outcome: 'OK' });
    const failedUpdates = entries.filter((e) => e.operation === 'updateDirectory' && e.outcome === 'ERROR');
    expect(failedUpdates.map((e) => e.error!.split(':')[0]).sort()).toEqual(['FORBIDDEN', 'INVALID_ARGUMENT']);
    expect(entries.some((e) => e.operation === 'revokeAdminToken' && e.outcome === 'OK')).toBe(true);
    // The READ token's refusal never reached a resolver: it is not a mutation that ran.
    expect(entries.filter((e) => e.principal === 'dashboard')).toEqual([]);
  });
});
