import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DirectoryError, isDirectoryError } from '../domain/errors';
import { KEY_FILE_NAME, SECRET_KEY_ENV } from '../security/master-key';
import { importSqliteStore, type ImportedTable } from '../store/postgres/import-sqlite';
import { PostgresStore } from '../store/postgres/postgres-store';
import { parsePostgresUrl } from '../store/postgres/target';
import { STORE_FILE_NAME, storeFilePath } from '../store/sqlite/store-files';
import { holdStoreExclusively, type StoreHold } from '../store/sqlite/store-hold';

export interface MigrateStoreOptions {
  from?: string;
  to?: string;
}

/**
 * `crowdgate migrate-store --from DIR --to URL`: copies the SQLite store of data directory DIR
 * into the empty PostgreSQL store at URL (src/store/postgres/import-sqlite.ts), a line per table
 * on `err` as it goes and the rows per table on `out`. It holds the SQLite store exclusively
 * meanwhile (store-hold.ts): refused while crowdgate serves, syncs or backs it up, and none of
 * them starts until it is done. The SQLite store is only read. The password of URL is never
 * printed. Exit status: 0 copied; 1 refused or failed, nothing written (the reason on `err`);
 * 2 (thrown CONFIGURATION) usage: no --from or --to, a URL that is not a PostgreSQL URL, no
 * store in DIR.
 */
export async function migrateStoreCommand(
  options: MigrateStoreOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  if (!options.from)
    throw new DirectoryError('CONFIGURATION', 'give --from DIR (the data directory of the SQLite store)');
  if (!options.to)
    throw new DirectoryError('CONFIGURATION', 'give --to URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE)');
  const target = parsePostgresUrl(options.to);
  const file = storeFilePath(options.from);
  if (!existsSync(file))
    throw new DirectoryError('CONFIGURATION', `there is no crowdgate store in ${options.from} (no ${STORE_FILE_NAME})`);
  let hold: StoreHold | undefined;
  let store: PostgresStore | undefined;
  try {
    hold = holdStoreExclusively(options.from, 'migrate-store');
    store = await PostgresStore.open({
      url: options.to,
      poolSize: 1,
      applicationName: 'crowdgate migrate-store',
      watch: false,
    });
    const client = await store.pool.connect();
    let tables: ImportedTable[];
    try {
      tables = await importSqliteStore(file, client, ({ table, rows }) =>
        err.write(`migrate-store: ${table}: ${rows} ${rows === 1 ? 'row' : 'rows'}\n`),
      );
    } finally {
      client.release();
    }
    const width = Math.max(...tables.map((t) => t.table.length));
    const digits = Math.max(...tables.map((t) => String(t.rows).length));
    out.write(
      [
        `Copied ${file} into PostgreSQL at ${target.label} in one transaction; every table holds as many rows on both sides:`,
        ...tables.map(({ table, rows }) => `  ${table.padEnd(width)}  ${String(rows).padStart(digits)}`),
        `The stored secrets are still sealed with the secret key of ${options.from}: give every crowdgate node using ` +
          `PostgreSQL that key (${join(options.from, KEY_FILE_NAME)}, or ${SECRET_KEY_ENV}).`,
        `Next: set store: { kind: postgres, url: … } in the configuration and start crowdgate. ${file} is unchanged.`,
      ].join('\n') + '\n',
    );
    return 0;
  } catch (error) {
    if (!isDirectoryError(error)) throw error;
    err.write(`crowdgate: ${error.message}\n`);
    return 1;
  } finally {
    await store?.close();
    hold?.release();
  }
}
