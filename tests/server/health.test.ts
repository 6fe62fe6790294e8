import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import type { Config, ReadinessConfig } from '../../src/config/schema';
import { DEFAULT_SYNC_SETTINGS } from '../../src/config/sync-schema';
import { silentLogger } from '../../src/logging/logger';
import { parseCidr } from '../../src/security/cidr';
import { hashPassword } from '../../src/security/password-hash';
import { startServer } from '../../src/server/server';
import { openSqliteStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { SMALL_DIRECTORY } from '../helpers/fixtures';

const ADMIN_TOKEN = 'health-admin-token-0123456789';
const APP_PASSWORD = 'health-app-password';
/** Provider settings of a directory made through the API (no sync engine runs here: nothing calls Microsoft). */
const ENTRA = {
  tenantId: '11111111-2222-3333-4444-555555555555',
  clientId: '66666666-7777-8888-9999-000000000000',
  clientSecret: 'Zx8Q~health-client-secret-0123456789',
};

interface Readiness {
  readonly status: string;
  readonly checks: ReadonlyArray<{ name: string; ready: boolean; reason?: string }>;
}

interface Fixture {
  readonly store: Store;
  readonly config: Config;
  readonly dataDir: string;
  /** A server over this store; `readiness` as in the configuration file (absent: the defaults). */
  start(readiness?: ReadinessConfig): Promise<string>;
  /** Records a run of `directory` that ended `secondsAgo` with `status`. */
  run(directory: 'corp' | 'hr', status: 'succeeded' | 'failed' | 'dry-run', secondsAgo: number): Promise<void>;
}

async function readyz(url: string): Promise<{ status: number; body: Readiness; text: string }> {
  const response = await fetch(`${url}/readyz`);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Readiness, text };
}

async function adminGraphql(
  url: string,
  query: string,
  variables: object,
): Promise<{ data?: unknown; errors?: unknown[] }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: unknown; errors?: unknown[] };
}

/**
 * `GET /healthz` and `GET /readyz` (src/server/health-endpoints.ts) on a real crowdgate HTTP
 * server over a real SQLite store, without a sync engine: each test has a store of its own with
 * the directories `corp` (holding users and groups) and `hr`, and writes the run records readiness
 * is computed from (`store.createRun` + `store.updateRun`) itself.
 */
describe('health endpoints', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function fixture(): Promise<Fixture> {
    const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-health-'));
    const store = openSqliteStore(dataDir);
    cleanups.push(async () => {
      await store.close().catch(() => undefined); // one test closes it itself
      rmSync(dataDir, { recursive: true, force: true });
    });
    const rows = await store.upsertDirectories([
      { name: 'corp', provider: 'demo' },
      { name: 'hr', provider: 'demo' },
    ]);
    const ids = { corp: rows[0]!.id, hr: rows[1]!.id };
    await store.apply(ids.corp, SMALL_DIRECTORY);
    const demo = (name: string) => ({
      name,
      provider: 'demo' as const,
      localGroups: [],
      ...DEFAULT_SYNC_SETTINGS,
      demo: { seed: name, users: 1, groups: 1 },
    });
    const config: Config = {
      server: { host: '127.0.0.1', port: 0, contextPath: '', workers: 1 },
      dataDir,
      adminTokens: [{ name: 'tests', token: ADMIN_TOKEN }],
      directories: [demo('corp'), demo('hr')],
      applications: [
        {
          name: 'jira',
          passwordHash: await hashPassword(APP_PASSWORD),
          allowedAddresses: [parseCidr('127.0.0.1/32')],
          directories: ['corp', 'hr'],
        },
      ],
      trustedProxies: [],
    };
    const schema = await buildCrowdgateSchema();
    return {
      store,
      config,
      dataDir,
      start: async (readiness) => {
        const server = await startServer({
          config: { ...config, ...(readiness ? { readiness } : {}) },
          store,
          schema,
          logger: silentLogger,
        });
        cleanups.push(() => server.close({ graceMs: 0 }));
        return server.url;
      },
      run: async (directory, status, secondsAgo) => {
        const started = await store.createRun({ directoryId: ids[directory], mode: 'full', trigger: 'manual' });
        await store.updateRun(started.id, {
          status,
          finishedAt: new Date(Date.now() - secondsAgo * 1000),
          ...(status === 'failed' ? { error: 'the provider did not answer' } : {}),
        });
      },
    };
  }

  test('/healthz: 200 {"status":"ok"} without authentication, not cached; HEAD answers, POST is 405', async () => {
    const url = await (await fixture()).start();
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ok' });

    const head = await fetch(`${url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const readyHead = await fetch(`${url}/readyz`, { method: 'HEAD' });
    expect(readyHead.status).toBe(503); // nothing synchronised yet
    expect(await readyHead.text()).toBe('');

    for (const path of ['/healthz', '/readyz'])
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const refused = await fetch(`${url}${path}`, { method });
        expect([path, method, refused.status, refused.headers.get('allow')]).toEqual([path, method, 405, 'GET, HEAD']);
      }
    // A wrong credential changes nothing: the endpoints do not authenticate at all.
    const withBadCredential = await fetch(`${url}/healthz`, { headers: { authorization: 'Bearer wrong' } });
    expect(withBadCredential.status).toBe(200);
  });

  test('/readyz: 503 until every enabled directory has a successful run, then 200; failed and dry runs do not count', async () => {
    const { start, run } = await fixture();
    const url = await start({ maxSyncAgeSeconds: 3600 });
    const never = { ready: false, reason: 'never synchronised successfully' };
    expect(await readyz(url)).toMatchObject({
      status: 503,
      body: {
        status: 'not ready',
        checks: [
          { name: 'store', ready: true },
          { name: 'directory:corp', ...never },
          { name: 'directory:hr', ...never },
        ],
      },
    });

    await run('corp', 'failed', 10);
    await run('corp', 'dry-run', 5);
    await run('hr', 'succeeded', 30);
    expect(await readyz(url)).toMatchObject({
      status: 503,
      body: {
        status: 'not ready',
        checks: [
          { name: 'store', ready: true },
          { name: 'directory:corp', ...never },
          { name: 'directory:hr', ready: true },
        ],
      },
    });

    await run('corp', 'succeeded', 1);
    // A failed run after a success does not undo it: Jira is served from the store all the same.
    await run('hr', 'failed', 0);
    const ready = await readyz(url);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: [
        { name: 'store', ready: true },
        { name: 'directory:corp', ready: true },
        { name: 'directory:hr', ready: true },
      ],
    });
  });

  test('/readyz: 503 when the last success is older than readiness.maxSyncAgeSeconds', async () => {
    const { start, run } = await fixture();
    const hour = await start({ maxSyncAgeSeconds: 3600 });
    const byDefault = await start();
    await run('corp', 'succeeded', 1);
    await run('hr', 'succeeded', 2 * 3600);
    const stale = await readyz(hour);
    expect(stale.status).toBe(503);
    expect(stale.body.status).toBe('not ready');
    const hr = stale.body.checks.find((check) => check.name === 'directory:hr')!;
    expect(hr.ready).toBe(false);
    expect(hr.reason).toMatch(/^last successful run 7\d{3} s ago, more than readiness\.maxSyncAgeSeconds \(3600\)$/);
    expect(Number(/(\d+) s ago/.exec(hr.reason!)![1])).toBeGreaterThanOrEqual(7200);
    expect(stale.body.checks.find((check) => check.name === 'directory:corp')).toEqual({
      name: 'directory:corp',
      ready: true,
    });
    // Two hours is young enough for the default, one day.
    expect((await readyz(byDefault)).status).toBe(200);

    await run('hr', 'succeeded', 0);
    expect((await readyz(hour)).status).toBe(200);
  });

  test('/readyz: the default readiness.maxSyncAgeSeconds is one day', async () => {
    const { start, run } = await fixture();
    const url = await start();
    await run('corp', 'succeeded', 86_400 - 600);
    await run('hr', 'succeeded', 86_400 + 600);
    const old = await readyz(url);
    expect(old.status).toBe(503);
    expect(old.body.checks.find((check) => check.name === 'directory:corp')!.ready).toBe(true);
    expect(old.body.checks.find((check) => check.name === 'directory:hr')!.reason).toMatch(
      /^last successful run 87\d{3} s ago, more than readiness\.maxSyncAgeSeconds \(86400\)$/,
    );
  });

  test('/readyz: a disabled directory does not count until it is enabled', async () => {
    const { start, run } = await fixture();
    const url = await start();
    await run('corp', 'succeeded', 0);
    await run('hr', 'succeeded', 0);
    expect((await readyz(url)).status).toBe(200);
    const graphql = (query: string, variables: object) => adminGraphql(url, query, variables);
    const input = (enabled: boolean) => ({ name: 'external', provider: 'entra', enabled, entra: ENTRA });
    const created = await graphql('mutation($input: DirectoryInput!) { createDirectory(input: $input) { name } }', {
      input: input(false),
    });
    expect(created).toEqual({ data: { createDirectory: { name: 'external' } } });

    const stillReady = await readyz(url);
    expect(stillReady.status).toBe(200);
    expect(stillReady.body.checks.map((check) => check.name)).toEqual(['store', 'directory:corp', 'directory:hr']);

    const enabled = await graphql(
      'mutation($input: DirectoryInput!) { updateDirectory(name: "external", input: $input) { name } }',
      { input: input(true) },
    );
    expect(enabled.errors).toBeUndefined();
    const waiting = await readyz(url);
    expect(waiting.status).toBe(503);
    expect(waiting.body.checks).toContainEqual({
      name: 'directory:external',
      ready: false,
      reason: 'never synchronised successfully',
    });
    expect(waiting.text).not.toContain(ENTRA.clientSecret);
  });

  test('the answers name directories and ages only: no user, group, application or setting', async () => {
    const { start, run, config, dataDir } = await fixture();
    const url = await start({ maxSyncAgeSeconds: 3600 });
    await run('corp', 'succeeded', 0);
    await run('hr', 'succeeded', 2 * 3600);
    // An enabled API directory with provider settings (never synchronised: no engine here).
    const created = await adminGraphql(
      url,
      'mutation($input: DirectoryInput!) { createDirectory(input: $input) { name } }',
      {
        input: { name: 'external', provider: 'entra', enabled: true, entra: ENTRA },
      },
    );
    expect(created.errors).toBeUndefined();
    const bodies = [
      await (await fetch(`${url}/healthz`)).text(),
      (await readyz(url)).text,
      await (await fetch(`${url}/readyz?verbose=true`)).text(),
    ];
    // What the answer does say: the directories' names and the age of their last success.
    expect(bodies[1]).toContain('"directory:external"');
    expect(bodies[1]).toMatch(/"last successful run 7\d{3} s ago/);
    const users = (SMALL_DIRECTORY.upsertUsers ?? []).flatMap((user) => [user.name, user.email, user.displayName]);
    const groups = (SMALL_DIRECTORY.upsertGroups ?? []).map((group) => group.name);
    const settings = [
      'jira',
      APP_PASSWORD,
      config.applications[0]!.passwordHash,
      ADMIN_TOKEN,
      dataDir,
      'demo',
      ENTRA.tenantId,
      ENTRA.clientId,
      ENTRA.clientSecret,
    ];
    for (const body of bodies)
      for (const secret of [...users, ...groups, ...settings])
        expect([secret, body.includes(secret)]).toEqual([secret, false]);
    for (const check of JSON.parse(bodies[1]!).checks as Array<Record<string, unknown>>)
      expect(Object.keys(check).every((key) => ['name', 'ready', 'reason'].includes(key))).toBe(true);
  });

  test('/readyz: 503 naming the store when it does not answer; /healthz still 200', async () => {
    const { start, store } = await fixture();
    const url = await start();
    await store.close();
    const broken = await readyz(url);
    expect(broken.status).toBe(503);
    expect(broken.body).toEqual({
      status: 'not ready',
      checks: [{ name: 'store', ready: false, reason: 'the store does not answer' }],
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});
