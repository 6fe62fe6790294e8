import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCidr } from '../../src/security/cidr';
import { DEFAULT_SYNC_SETTINGS } from '../../src/config/sync-schema';
import type { Config } from '../../src/config/schema';
import { silentLogger } from '../../src/logging/logger';
import { hashPassword } from '../../src/security/password-hash';
import { startCrowdgate, type Crowdgate } from '../../src/server/bootstrap';
import { CLI } from '../cli/helpers';
import { describePostgres } from '../helpers/postgres';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'pg-cluster');
const APP_PASSWORD = 'outage-app-password';
const AUTH = `Basic ${Buffer.from(`jira:${APP_PASSWORD}`).toString('base64')}`;

/** Polls until `check` resolves true (each poll is one HTTP request; the jest timeout bounds it). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  while (!(await check().catch(() => false))) await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * A PostgreSQL store that goes away and comes back while crowdgate serves, and one that cannot be
 * reached at all at start. The server is a cluster of this test's own (scripts/pg-cluster), so
 * it can be stopped without disturbing the other tests.
 */
describePostgres('PostgreSQL outages', () => {
  const clusterDir = mkdtempSync(join(tmpdir(), 'crowdgate-pg-outage-'));
  let url: string;
  let dataDir: string;
  let crowdgate: Crowdgate | undefined;

  beforeAll(() => {
    url = execFileSync(SCRIPT, ['start', clusterDir], { encoding: 'utf8' }).trim();
    dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-outage-data-'));
  });
  afterAll(async () => {
    await crowdgate?.stop();
    execFileSync(SCRIPT, ['stop', clusterDir]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('while PostgreSQL restarts: /readyz reports the store down, Crowd answers an error entity, the process lives; reads come back by themselves', async () => {
    const config: Config = {
      server: { host: '127.0.0.1', port: 0, contextPath: '', workers: 1 },
      dataDir,
      store: { kind: 'postgres', url, poolSize: 4 },
      adminTokens: [{ name: 'tests', token: 'outage-admin-token-0123456789' }],
      directories: [
        {
          name: 'corp',
          provider: 'demo',
          localGroups: [],
          ...DEFAULT_SYNC_SETTINGS,
          demo: { seed: 'outage', users: 20, groups: 3 },
        },
      ],
      applications: [
        {
          name: 'jira',
          passwordHash: await hashPassword(APP_PASSWORD),
          allowedAddresses: [parseCidr('127.0.0.1/32')],
          directories: ['corp'],
        },
      ],
      trustedProxies: [],
    };
    crowdgate = await startCrowdgate(config, silentLogger);
    const base = crowdgate.server.url;
    const search = () =>
      fetch(`${base}/rest/usermanagement/1/search?entity-type=user&max-results=5`, {
        headers: { authorization: AUTH, accept: 'application/json' },
      });
    // The node leads (alone) and its first run fills the store.
    await eventually(async () => ((await (await search()).json()) as { users?: unknown[] }).users?.length === 5);
    await eventually(async () => (await fetch(`${base}/readyz`)).status === 200);

    execFileSync(SCRIPT, ['pause', clusterDir]);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: Array<{ name: string; ready: boolean }> };
    expect(body.checks.find((check) => check.name === 'store')).toMatchObject({ ready: false });
    const refused = await search();
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(await refused.json()).toMatchObject({ reason: expect.any(String), message: expect.any(String) });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    execFileSync(SCRIPT, ['resume', clusterDir]);
    await eventually(async () => (await search()).status === 200);
    await eventually(async () => (await fetch(`${base}/readyz`)).status === 200);
  }, 120_000);

  test('a refused password or an unreachable server at start: exit 2, a message naming the server and the reason, never the password', () => {
    const wrong = new URL(url);
    wrong.password = 'not-the-password-7f3a';
    const unreachable = new URL(url);
    unreachable.port = '1';
    for (const [target, reason] of [
      [wrong.toString(), /password authentication failed/],
      [unreachable.toString(), /ECONNREFUSED|unreachable/],
    ] as const) {
      const file = join(dataDir, 'bad-store.yaml');
      writeFileSync(file, `store: { kind: postgres, url: "${target}" }\ndataDir: ./bad-store-data\n`);
      const result = spawnSync(process.execPath, [CLI, 'serve', '--config', file], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).toMatch(/PostgreSQL/);
      expect(result.stderr).not.toContain('not-the-password-7f3a');
      expect(result.stderr).not.toContain(new URL(url).password);
    }
  }, 120_000);
});
