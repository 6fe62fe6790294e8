import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config/schema';
import { DEFAULT_SYNC_SETTINGS } from '../../src/config/sync-schema';
import { parseCidr } from '../../src/security/cidr';
import { hashPassword } from '../../src/security/password-hash';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import { silentLogger } from '../../src/logging/logger';
import { startServer, type RunningServer } from '../../src/server/server';
import { openSqliteStore } from '../../src/store/open';
import type { ChangeSet, Store } from '../../src/store/store';
import type { DirectoryProvider } from '../../src/providers/provider';
import { localControl } from '../../src/sync/control';
import type { LoginLimits } from '../../src/security/login-limits';
import { SyncEngine } from '../../src/sync/engine';

export const APP_PASSWORD = 'app-secret:with-colon';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestCrowdgate {
  readonly url: string;
  readonly store: Store;
  readonly directoryIds: number[];
  /** `Authorization` header of the test application. */
  basic(name?: string, password?: string): string;
  stop(): Promise<void>;
}

/**
 * A real crowdgate HTTP server on 127.0.0.1 (free port) over a real SQLite file in a temporary
 * data directory, holding the given change sets (one per directory). Application `jira` may call
 * from loopback; application `remote` only from 10.0.0.0/8 (so loopback calls are refused).
 */
export async function startTestCrowdgate(
  directories: Array<{ name: string; changes: ChangeSet }>,
  overrides: Partial<Config['server']> = {},
  options: { providers?: readonly DirectoryProvider[]; loginLimits?: LoginLimits } = {},
): Promise<TestCrowdgate> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdgate-test-'));
  const store = openSqliteStore(dataDir);
  const registered = await store.upsertDirectories(directories.map((d) => ({ name: d.name, provider: 'demo' })));
  for (const [index, d] of directories.entries()) await store.apply(registered[index]!.id, d.changes);
  const passwordHash = await hashPassword(APP_PASSWORD);
  const names = directories.map((d) => d.name);
  const config: Config = {
    server: { host: '127.0.0.1', port: 0, contextPath: '', workers: 1, ...overrides },
    dataDir,
    adminTokens: [{ name: 'tests', token: ADMIN_TOKEN }],
    directories: names.map((name) => ({
      name,
      provider: 'demo' as const,
      localGroups: [],
      ...DEFAULT_SYNC_SETTINGS,
      demo: { seed: 'x', users: 1, groups: 1 },
    })),
    applications: [
      {
        name: 'jira',
        passwordHash,
        allowedAddresses: [parseCidr('127.0.0.1/32'), parseCidr('::1/128')],
        directories: names,
      },
      { name: 'remote', passwordHash, allowedAddresses: [parseCidr('10.0.0.0/8')], directories: names },
    ],
    trustedProxies: [],
  };
  // With providers (one per directory, in order), a sync engine backs password checks and syncs.
  const engine = options.providers
    ? new SyncEngine(
        store,
        registered.map((directory, index) => ({
          directory,
          provider: options.providers![index]!,
          settings: config.directories[index]!,
        })),
        silentLogger,
      )
    : undefined;
  const server: RunningServer = await startServer({
    config,
    store,
    schema: await buildCrowdgateSchema(),
    logger: silentLogger,
    ...(engine ? { engine: localControl(engine) } : {}),
    ...(options.loginLimits ? { loginLimits: options.loginLimits } : {}),
  });
  return {
    url: server.url,
    store,
    directoryIds: registered.map((d) => d.id),
    basic: (name = 'jira', password = APP_PASSWORD) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`,
    stop: async () => {
      await server.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
