import 'reflect-metadata';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import type { Config } from '../config/schema';
import { createProvider } from '../providers/registry';
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

/** Opens the store and builds the sync engine for the configured directories (also used by `crowdgate sync`). */
export async function openEngine(config: Config, logger: Logger): Promise<{ store: Store; engine: SyncEngine }> {
  const providers = config.directories.map((d) => createProvider(d));
  const store = openSqliteStore(config.dataDir);
  try {
    const directories = await store.upsertDirectories(config.directories.map((d) => ({ name: d.name, provider: d.provider })));
    const engine = new SyncEngine(
      store,
      config.directories.map((settings, index) => ({ directory: directories[index]!, provider: providers[index]!, settings })),
      logger,
    );
    return { store, engine };
  } catch (error) {
    await store.close();
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
  const { store, engine } = await openEngine(config, logger);
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
        await store.close();
      },
    };
  } catch (error) {
    scheduler.stop();
    await store.close();
    throw error;
  }
}
