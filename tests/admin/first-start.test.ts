import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type Config } from '../../src/config/schema';
import { silentLogger } from '../../src/logging/logger';
import { startCrowdgate, type Crowdgate } from '../../src/server/bootstrap';

interface Answer<T> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions: { code: string } }>;
}

async function graphql<T>(url: string, token: string, query: string): Promise<Answer<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer<T>, 'status'>) };
}

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function emptyConfig(extra: object = {}): Config {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-first-'));
  roots.push(dataDir);
  return configSchema.parse({ dataDir, server: { port: 0 }, ...extra });
}

describe('first start without a configuration', () => {
  let crowdgate: Crowdgate;
  afterEach(async () => crowdgate?.stop());

  test('a one-time setup token may read and create administrator tokens, and ends when the first exists', async () => {
    const config = emptyConfig();
    crowdgate = await startCrowdgate(config, silentLogger);
    const setup = crowdgate.setupToken!;
    expect(setup).toMatch(/^cgt_[A-Za-z0-9_-]{43}$/);
    const url = crowdgate.server.url;
    expect(
      (await graphql<{ directories: unknown[] }>(url, setup, '{ directories { name } }')).data!.directories,
    ).toEqual([]);
    const refused = await graphql(
      url,
      setup,
      'mutation { createApplication(input: { name: "jira" }) { generatedPassword } }',
    );
    expect(refused.status).toBe(403);
    expect(refused.errors![0]!.message).toContain('createAdminToken');

    const created = await graphql<{ createAdminToken: { token: string } }>(
      url,
      setup,
      'mutation { createAdminToken(name: "admin", scope: ADMIN) { token } }',
    );
    const admin = created.data!.createAdminToken.token;
    expect((await graphql(url, setup, '{ directories { name } }')).status).toBe(401);
    expect(
      (await graphql<{ adminTokens: Array<{ name: string }> }>(url, admin, '{ adminTokens { name } }')).data!
        .adminTokens,
    ).toEqual([{ name: 'admin' }]);

    // A restart with a token in the store prints no setup token.
    await crowdgate.stop();
    crowdgate = await startCrowdgate(config, silentLogger);
    expect(crowdgate.setupToken).toBeUndefined();
    expect((await graphql(crowdgate.server.url, admin, '{ directories { name } }')).status).toBe(200);
  });

  test('a name used in the file and through the API is a start-up error naming both places', async () => {
    const config = emptyConfig();
    crowdgate = await startCrowdgate(config, silentLogger);
    const created = await graphql<{ createAdminToken: { token: string } }>(
      crowdgate.server.url,
      crowdgate.setupToken!,
      'mutation { createAdminToken(name: "admin", scope: ADMIN) { token } }',
    );
    const admin = created.data!.createAdminToken.token;
    const made = await graphql(
      crowdgate.server.url,
      admin,
      'mutation { createDirectory(input: { name: "corp", provider: "demo", demo: { users: 3, groups: 1 } }) { name } }',
    );
    expect(made.errors).toBeUndefined();
    await crowdgate.stop();
    const withFile: Config = {
      ...config,
      directories: configSchema.parse({ directories: [{ name: 'CORP', provider: 'demo' }] }).directories,
    };
    await expect(startCrowdgate(withFile, silentLogger, { fileLabel: 'crowdgate.yaml' })).rejects.toMatchObject({
      code: 'CONFIGURATION',
      message: expect.stringMatching(
        /directory "corp" is defined in crowdgate\.yaml and through the administration API/,
      ),
    });
    crowdgate = await startCrowdgate(config, silentLogger);
  });
});
