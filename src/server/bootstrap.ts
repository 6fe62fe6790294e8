import 'reflect-metadata';
import { buildCrowdgateSchema } from '../../resolvers/schema';
import type { Config } from '../config/schema';
import { createProvider } from '../providers/registry';
import { openSqliteStore } from '../store/open';
import { runFullSync } from '../sync/full-sync';
import { describeError, type Logger } from './logger';
import { startServer, type RunningServer } from './server';

export interface Crowdgate {
  readonly server: RunningServer;
  stop(): Promise<void>;
}

/**
 * Starts crowdgate from a configuration: opens the store, registers the directories in their
 * configured order, brings each directory up to date with one full sync (a failure is logged and
 * the directory keeps its stored state: Jira is served from the store, never live), then serves.
 */
export async function startCrowdgate(config: Config, logger: Logger): Promise<Crowdgate> {
  const providers = config.directories.map((d) => ({ config: d, provider: createProvider(d) }));
  const store = openSqliteStore(config.dataDir);
  try {
    const directories = await store.upsertDirectories(config.directories.map((d) => ({ name: d.name, provider: d.provider })));
    for (const [index, { config: directory, provider }] of providers.entries()) {
      const started = Date.now();
      try {
        const result = await runFullSync(store, directories[index]!.id, provider, { localGroups: directory.localGroups });
        logger.info('directory synchronised', { directory: directory.name, ms: Date.now() - started, ...result });
      } catch (error) {
        logger.error('directory sync failed; serving the stored state', { directory: directory.name, ...describeError(error) });
      }
    }
    const schema = await buildCrowdgateSchema();
    const server = await startServer({ config, store, schema, directories, logger });
    return {
      server,
      stop: async () => {
        await server.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
