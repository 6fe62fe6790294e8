import 'reflect-metadata';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import type { Config } from '../config/schema';
import type { ProviderHandle } from '../providers/registry';
import { openDirectoryProvider } from './open-provider';
import { openSqliteStore } from '../store/open';
import type { Store } from '../store/store';
import { localControl } from '../sync/control';
import { SyncEngine } from '../sync/engine';
import { SyncScheduler } from '../sync/scheduler';
import type { Logger } from '../logging/logger';
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
    for (const directory of config.directories) handles.push(await openDirectoryProvider(directory));
  } catch (error) {
    await closeProviders();
    throw error;
  }
  const store = openSqliteStore(config.dataDir);
  try {
    const directories = await store.upsertDirectories(
      config.directories.map((d) => ({ name: d.name, provider: d.provider })),
    );
    const engine = new SyncEngine(
      store,
      config.directories.map((settings, index) => ({
        directory: directories[index]!,
        provider: handles[index]!.provider,
        settings,
      })),
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

/** The engine side of a running crowdgate: opened, first runs done or under way, on schedule. */
export interface RunningEngine extends OpenEngine {
  /** Stops the schedule, waits for runs in progress, closes the store and the providers. */
  stop(): Promise<void>;
}

/**
 * Opens the engine and starts it: a directory that has never been synchronised is synchronised
 * before this resolves (so the demo is ready when its URL is printed); the others are refreshed
 * in the background: Jira is served from the store, never live, and must not wait for a slow
 * provider. Then the schedule starts.
 */
export async function startEngine(config: Config, logger: Logger): Promise<RunningEngine> {
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
  } catch (error) {
    scheduler.stop();
    await opened.close();
    throw error;
  }
  return {
    ...opened,
    stop: async () => {
      scheduler.stop();
      await Promise.all(engine.directories().map((d) => engine.idle(d.directory.id)));
      await opened.close();
    },
  };
}

/** Starts crowdgate in one process: the engine (startEngine) and the HTTP server. */
export async function startCrowdgate(config: Config, logger: Logger): Promise<Crowdgate> {
  const running = await startEngine(config, logger);
  const { store, engine } = running;
  try {
    const schema = await buildCrowdgateSchema();
    const directories = engine.directories().map((d) => d.directory);
    const server = await startServer({ config, store, schema, directories, engine: localControl(engine), logger });
    return {
      server,
      engine,
      stop: async () => {
        await server.close();
        await running.stop();
      },
    };
  } catch (error) {
    await running.stop();
    throw error;
  }
}
