import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfiguredDirectory, EffectiveConfiguration } from '../../src/admin/runtime-configuration';
import { configSchema, type DirectoryConfig } from '../../src/config/schema';
import { silentLogger } from '../../src/logging/logger';
import { accessReport, finding, type DirectoryProvider } from '../../src/providers/provider';
import type { ProviderHandle } from '../../src/providers/registry';
import { DirectorySupervisor } from '../../src/server/directory-supervisor';
import { openSqliteStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { SyncEngine } from '../../src/sync/engine';
import { SyncScheduler } from '../../src/sync/scheduler';
import { asProvider, FakeUpstream, person } from '../sync/fake-provider';

/**
 * The directory supervisor keeps the engine equal to the enabled directories of the runtime
 * configuration: it opens, reopens and closes providers, starts first runs, and keeps each
 * directory's health (an open failure, the background connection test).
 */
describe('DirectorySupervisor', () => {
  const root = mkdtempSync(join(tmpdir(), 'crowdgate-supervisor-'));
  let store: Store;
  afterAll(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  const opened: string[] = [];
  const closed: string[] = [];
  const upstream = new FakeUpstream();
  upstream.putUser(person('u1', 'ada@corp.example'));

  const open = async (directory: DirectoryConfig): Promise<ProviderHandle> => {
    if (directory.name === 'broken') throw new Error('directories[broken].okta.orgUrl: no such org');
    opened.push(`${directory.name}@${directory.localGroups.join(',')}`);
    const provider: DirectoryProvider = {
      ...asProvider(upstream),
      checkAccess: async () =>
        accessReport([finding('SECRET_EXPIRY', 'WARNING', 'the client secret expires in 9 days', 'make a new one')]),
    };
    return { provider, close: async () => void closed.push(directory.name) };
  };

  const entry = (name: string, version: number, extra: object = {}): ConfiguredDirectory => ({
    config: configSchema.parse({ directories: [{ name, provider: 'demo', ...extra }] }).directories[0]!,
    managedBy: 'API',
    version,
    enabled: true,
    createdAt: null,
    updatedAt: null,
  });
  const effective = (directories: ConfiguredDirectory[]): EffectiveConfiguration => ({
    generation: 1,
    directories,
    applications: [],
    adminTokens: [],
    stored: { generation: 1, entries: [], directoryOrder: [] },
  });

  test('opens, runs, reports health; reopens a changed directory; closes a removed or disabled one', async () => {
    store = openSqliteStore(root);
    await store.upsertDirectories([
      { name: 'corp', provider: 'demo' },
      { name: 'broken', provider: 'demo' },
    ]);
    const engine = new SyncEngine(store, [], silentLogger);
    const scheduler = new SyncScheduler(engine);
    const supervisor = new DirectorySupervisor(engine, scheduler, store, silentLogger, true, open);

    const firstRuns = await supervisor.apply(effective([entry('corp', 1), entry('broken', 1)]));
    await Promise.all(firstRuns.values());
    expect([...firstRuns.keys()]).toEqual(['corp']);
    expect(engine.directories().map((d) => d.directory.name)).toEqual(['corp']);
    expect((await store.listRuns({ limit: 5 }))[0]).toMatchObject({ status: 'succeeded', trigger: 'configuration' });
    expect(supervisor.health('broken').openFailure).toContain('no such org');
    await new Promise((resolve) => setImmediate(resolve));
    expect(supervisor.health('CORP').access?.report.findings).toEqual([
      expect.objectContaining({ code: 'SECRET_EXPIRY', severity: 'WARNING' }),
    ]);

    // A new version is reopened with its settings; an unchanged one is left alone.
    await supervisor.apply(effective([entry('corp', 2, { localGroups: ['staff'] })]));
    expect(opened).toEqual(['corp@', 'corp@staff']);
    expect(closed).toEqual(['corp']);
    expect(supervisor.health('broken').openFailure).toBeNull();
    await supervisor.apply(effective([entry('corp', 2, { localGroups: ['staff'] })]));
    expect(opened).toHaveLength(2);

    // Disabled: out of the engine, provider closed.
    await supervisor.apply(effective([{ ...entry('corp', 3), enabled: false }]));
    expect(engine.directories()).toEqual([]);
    expect(closed).toEqual(['corp', 'corp']);
    expect(() => engine.sync('corp', { trigger: 'manual' })).toThrow('Directory corp does not exist');
    await supervisor.close();
  });

  test('at start (strict), a provider that cannot open is an error', async () => {
    const engine = new SyncEngine(store, [], silentLogger);
    const supervisor = new DirectorySupervisor(engine, new SyncScheduler(engine), store, silentLogger, true, open);
    await expect(supervisor.apply(effective([entry('broken', 1)]), { strict: true })).rejects.toThrow('no such org');
  });
});
