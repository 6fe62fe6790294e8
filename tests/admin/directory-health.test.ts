import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEntraEmulator, type RunningEntraEmulator } from '../../src/emulators/entra';
import { configSchema } from '../../src/config/schema';
import { silentLogger } from '../../src/logging/logger';
import { startCrowdgate, type Crowdgate } from '../../src/server/bootstrap';

const TOKEN = 'directory-health-admin-token';

/**
 * A directory made through the API against an Entra emulator whose app registration may read
 * itself (Application.Read.All) and whose client secret expires in 9 days: it synchronises, and
 * the background connection test puts the expiry into its warnings and credentialExpiresAt.
 */
describe('directory health through the API', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-health-'));
  let emu: RunningEntraEmulator;
  let crowdgate: Crowdgate;
  beforeAll(async () => {
    emu = await startEntraEmulator({ tenant: { seed: 'health', users: 20, groups: 3, domain: 'health.test' } });
    crowdgate = await startCrowdgate(
      configSchema.parse({ dataDir, server: { port: 0 }, adminTokens: [{ name: 'ops', token: TOKEN }] }),
      silentLogger,
    );
  });
  afterAll(async () => {
    await crowdgate.stop();
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function graphql<T>(query: string, variables: object = {}): Promise<{ data?: T; errors?: unknown[] }> {
    const response = await fetch(`${crowdgate.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: T; errors?: unknown[] };
  }

  test('a client secret that expires in 9 days is a warning, with its date', async () => {
    const expires = new Date(Date.now() + 9 * 86_400_000 + 3_600_000);
    const app = emu.registerApplication({
      secretExpiresAt: expires,
      permissions: ['User.Read.All', 'GroupMember.Read.All', 'Application.Read.All'],
    });
    const { entra } = emu.directoryConfig('corp');
    const created = await graphql('mutation($input: DirectoryInput!) { createDirectory(input: $input) { name } }', {
      input: {
        name: 'corp',
        provider: 'entra',
        entra: { ...entra, clientId: app.clientId, clientSecret: app.clientSecret },
      },
    });
    expect(created.errors).toBeUndefined();
    type Health = { directories: Array<{ status: string; warnings: string[]; credentialExpiresAt: string | null }> };
    let answer: Health | undefined;
    for (let attempt = 0; attempt < 400; attempt++) {
      answer = (await graphql<Health>('{ directories { status warnings credentialExpiresAt } }')).data;
      const d = answer?.directories[0];
      if (d?.status === 'OK' && d.credentialExpiresAt !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const directory = answer!.directories[0]!;
    expect(directory.status).toBe('OK');
    expect(directory.credentialExpiresAt).toBe(expires.toISOString());
    expect(directory.warnings).toEqual([
      expect.stringMatching(
        /^Connection test \(.*\) warns: the client secret expires in 9 days .*Certificates & secrets/,
      ),
    ]);
    expect(JSON.stringify(answer)).not.toContain(app.clientSecret!);
    // The metrics say the same (one list behind warnings, metrics and the daily log line).
    const metrics = await (await fetch(`${crowdgate.server.url}/metrics`)).text();
    expect(metrics.split('\n').filter((line) => line.startsWith('crowdgate_directory_alerts{'))).toEqual([
      'crowdgate_directory_alerts{directory="corp",alert="CREDENTIAL_EXPIRING"} 1',
    ]);
    const expiry = /^crowdgate_credential_expiry_seconds\{directory="corp",provider="entra"\} (\S+)$/m.exec(metrics);
    expect(Number(expiry?.[1])).toBeGreaterThan(9 * 86_400 - 60);
    expect(Number(expiry?.[1])).toBeLessThanOrEqual((expires.getTime() - Date.now()) / 1000 + 60);
  });
});
