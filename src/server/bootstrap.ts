import 'reflect-metadata';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import type { Config } from '../config/schema';
import { openProvider, type ProviderHandle } from '../providers/registry';
import { openSqliteStore } from '../store/open';
import type { Store } from '../store/store';
import { SyncEngine } from '../sync/engine';
import { SyncScheduler } from '../sync/scheduler';
import type { Logger } from './logger';
import { startServer, type RunningServer } from './server';

export interface Crowdgate {
  readonly server: RunningServer;
  readonly engine: SyncEngine;
  stop(): Promise<void>;
}

export interface OpenEngine {
  readonly store: Store;
  readonly engine: SyncEngine;
  /** Closes the store and the providers (and anything they started). */
  close(): Promise<void>;
}

/** Opens the store, the providers and the sync engine for the configured directories (also used by `crowdgate sync`). */
export async function openEngine(config: Config, logger: Logger): Promise<OpenEngine> {
  const handles: ProviderHandle[] = [];
  const closeProviders = async () => {
    await Promise.all(handles.map((h) => h.close()));
  };
  try {
    for (const directory of config.directories) handles.push(await openProvider(directory));
  } catch (error) {
    await closeProviders();
    throw error;
  }
  const store = openSqliteStore(config.dataDir);
  try {
    const directories = await store.upsertDirectories(config.directories.map((d) => ({ name: d.name, provider: d.provider })));
    const engine = new SyncEngine(
      store,
      config.directories.map((settings, index) => ({ directory: directories[index]!, provider: handles[index]!.provider, settings })),
      logger,
    );
    return {
      store,
      engine,
      close: async () => {
        await store.close();
        await closeProviders();
      },
    };
  } catch (error) {
    await store.close();
    await closeProviders();
    throw error;
  }
}

/**
 * Starts crowdgate: the store, the sync engine and its schedule, and the HTTP server. A directory
 * that has never been synchronised is synchronised before serving (so the demo is ready when its
 * URL is printed); the others are served from the store at once and refreshed in the background:
 * Jira is served from the store, never live, and must not wait for a slow provider.
 */
export async function startCrowdgate(config: Config, logger: Logger): Promise<Crowdgate> {
  const opened = await openEngine(config, logger);
  const { store, engine } = opened;
  const scheduler = new SyncScheduler(engine);
  try {
    const startup = engine.directories().map(async ({ directory }) => {
      const known = (await store.listRuns({ directoryId: directory.id, limit: 1 })).length > 0;
      const run = engine.sync(directory.name, { mode: 'full', trigger: 'startup' });
      if (!known) await run;
    });
    await Promise.all(startup);
    scheduler.start();
    const schema = await buildCrowdgateSchema();
    const server = await startServer({ config, store, schema, directories: engine.directories().map((d) => d.directory), engine, logger });
    return {
      server,
      engine,
      stop: async () => {
        scheduler.stop();
        await server.close();
        await Promise.all(engine.directories().map((d) => engine.idle(d.directory.id)));
        await opened.close();
      },
    };
  } catch (error) {
    scheduler.stop();
    await opened.close();
    throw error;
  }
}
