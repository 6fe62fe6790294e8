import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from './sqlite/sqlite-store';
import type { Store } from './store';

/** The embedded store's database file in a data directory. */
export function storeFile(dataDir: string): string {
  return join(dataDir, 'crowdgate.sqlite');
}

/** Opens the embedded store, `<dataDir>/crowdgate.sqlite`, creating the data directory if needed. */
export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  return new SqliteStore(storeFile(dataDir));
}
