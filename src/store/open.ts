import { mkdirSync } from 'node:fs';
import type { StoreConfig } from '../config/schema';
import type { Logger } from '../logging/logger';
import { DirectoryError, isDirectoryError } from '../domain/errors';
import { PostgresStore } from './postgres/postgres-store';
import { SqliteStore } from './sqlite/sqlite-store';
import { holdStore } from './sqlite/store-hold';
import { storeFilePath } from './sqlite/store-files';
import type { Store } from './store';

/** Opens the embedded store, `<dataDir>/crowdgate.sqlite`, creating the data directory if needed. */
export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  return new SqliteStore(storeFilePath(dataDir));
}

/** What `openConfiguredStore` needs of the configuration. */
export interface StoreLocation {
  readonly dataDir: string;
  /** Absent: SQLite. */
  readonly store?: StoreConfig | undefined;
}

/**
 * Opens the configured store: SQLite under `dataDir`, or the shared PostgreSQL database.
 * `hold`: a SQLite store is held against `crowdgate restore` until it is closed (store-hold.ts;
 * take it in the process that runs the engine). `applicationName` names the process's
 * connections in PostgreSQL's `pg_stat_activity`.
 */
export async function openConfiguredStore(
  location: StoreLocation,
  options: { readonly hold?: boolean; readonly applicationName?: string; readonly logger?: Logger } = {},
): Promise<Store> {
  const config = location.store;
  if (config?.kind === 'postgres') {
    try {
      return await PostgresStore.open({
        url: config.url,
        poolSize: config.poolSize,
        applicationName: options.applicationName ?? 'crowdgate',
        ...(options.logger ? { logger: options.logger } : {}),
      });
    } catch (error) {
      // Wrong URL, refused credentials, unreachable server: nothing to serve from; say which and why.
      if (isDirectoryError(error)) throw error;
      throw new DirectoryError('CONFIGURATION', `store: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }
  if (!options.hold) return openSqliteStore(location.dataDir);
  // The hold before the store: a restore swaps the file, never under an open connection.
  const hold = holdStore(location.dataDir);
  try {
    const store = openSqliteStore(location.dataDir);
    const close = store.close.bind(store);
    store.close = async () => {
      try {
        await close();
      } finally {
        hold.release();
      }
    };
    return store;
  } catch (error) {
    hold.release();
    throw error;
  }
}
