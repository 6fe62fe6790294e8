import { mkdirSync } from 'node:fs';
import { SqliteStore } from './sqlite/sqlite-store';
import { storeFilePath } from './sqlite/store-files';
import type { Store } from './store';

/** Opens the embedded store, `<dataDir>/crowdgate.sqlite`, creating the data directory if needed. */
export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  return new SqliteStore(storeFilePath(dataDir));
}
