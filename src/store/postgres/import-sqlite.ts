import Database from 'better-sqlite3';
import type { ClientBase } from 'pg';
import { DirectoryError } from '../../domain/errors';
import { SCHEMA_VERSION } from '../sqlite/inspect';
import { TABLE_COPIES, type SqliteRow, type TableCopy } from './import-tables';
import { hasNul } from './nul-text';
import { arrayLiteral, execute, firstValue, rowsOf } from './sql';

/**
 * Copies a SQLite store (src/store/sqlite) into an empty PostgreSQL store (migrations.ts): every
 * table of the contract with its row ids, event sequence numbers and `meta` (the instance id,
 * so Crowd clients' event tokens stay valid; the configuration generation and directory order;
 * the wrapped data key, so the sealed secrets open with the same master key). All in one
 * PostgreSQL transaction, which also holds every store table exclusively (a crowdgate node
 * starting meanwhile waits, then finds the copy), reading SQLite in one read transaction,
 * CHUNK rows at a time: a tenant of a million memberships is never in memory at once. Before
 * committing, each table's rows are counted on both sides.
 *
 * Refuses, changing nothing: a SQLite store of another schema version (CONFIGURATION), a target
 * that already holds anything (CONFLICT), text PostgreSQL cannot hold (INVALID_ARGUMENT, naming the
 * row). The caller holds the SQLite store (store-hold.ts) and gives a migrated PostgreSQL store's
 * connection, not in a transaction.
 */
export interface ImportedTable {
  readonly table: string;
  readonly rows: number;
}

/** Rows read and bound per statement. */
const CHUNK = 10_000;

/** Tables that must be empty (with the `meta` values a fresh store has) for an import. */
const STORE_TABLES = ['meta', ...TABLE_COPIES.map((copy) => copy.table)];
const FRESH_META: Readonly<Record<string, string>> = {
  event_reset_seq: '0',
  config_generation: '0',
  directory_order: '[]',
};

export async function importSqliteStore(
  sqliteFile: string,
  client: ClientBase,
  onTable: (imported: ImportedTable) => void = () => undefined,
): Promise<ImportedTable[]> {
  const sqlite = openReadOnly(sqliteFile);
  try {
    checkSchemaVersion(sqlite, sqliteFile);
    sqlite.exec('BEGIN'); // one state of every table
    await client.query('BEGIN');
    try {
      await client.query(`LOCK TABLE ${STORE_TABLES.join(', ')} IN ACCESS EXCLUSIVE MODE`);
      await refuseUnlessEmpty(client);
      const imported: ImportedTable[] = [{ table: 'meta', rows: await copyMeta(sqlite, client) }];
      onTable(imported[0]!);
      for (const copy of TABLE_COPIES) {
        const rows = await copyTable(sqlite, client, copy);
        if (copy.identity) await setIdentity(client, copy, sequenceOf(sqlite, copy.table));
        imported.push({ table: copy.table, rows });
        onTable({ table: copy.table, rows });
      }
      await verifyCounts(sqlite, client, imported);
      await client.query('COMMIT');
      // Planner statistics for the new rows now, rather than when autovacuum gets to them.
      await client.query(`ANALYZE ${STORE_TABLES.join(', ')}`).catch(() => undefined);
      return imported;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      sqlite.exec('COMMIT');
    }
  } finally {
    sqlite.close();
  }
}

function openReadOnly(file: string): Database.Database {
  try {
    return new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new DirectoryError(
      'CONFIGURATION',
      `cannot open the SQLite store ${file} (${(error as { message?: unknown }).message ?? String(error)})`,
      { cause: error },
    );
  }
}

function checkSchemaVersion(sqlite: Database.Database, file: string): void {
  const version = sqlite.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null;
  if (version === SCHEMA_VERSION) return;
  throw new DirectoryError(
    'CONFIGURATION',
    (version ?? 0) < SCHEMA_VERSION
      ? `the SQLite store ${file} is at schema version ${version ?? 0}, this crowdgate reads version ${SCHEMA_VERSION}: ` +
          'start crowdgate (or run crowdgate sync) on it once to upgrade it, stop it, then migrate'
      : `the SQLite store ${file} is at schema version ${version}, newer than this crowdgate's (${SCHEMA_VERSION}): migrate it with the crowdgate that wrote it`,
  );
}

/** CONFLICT, naming what is there, unless the target is a store nothing has been written to. */
async function refuseUnlessEmpty(client: ClientBase): Promise<void> {
  const held: string[] = [];
  for (const copy of TABLE_COPIES) {
    const rows = (await firstValue<number>(client, { text: `SELECT count(*) FROM ${copy.table}` }))!;
    if (rows > 0) held.push(`${rows} ${copy.table.replace('_', ' ')}`);
  }
  const meta = await rowsOf<[string, string]>(client, { text: 'SELECT key, value FROM meta' });
  for (const [key, value] of meta)
    if (key in FRESH_META ? FRESH_META[key] !== value : key !== 'instance') held.push(`meta ${key}`);
  if (held.length > 0)
    throw new DirectoryError(
      'CONFLICT',
      `the PostgreSQL store is not empty (it holds ${held.join(', ')}): migrate-store copies into an empty store only; ` +
        'give it a new database, or drop and recreate this one',
    );
}

/** Every `meta` key of the SQLite store, replacing the fresh store's values (its instance id too). */
async function copyMeta(sqlite: Database.Database, client: ClientBase): Promise<number> {
  const rows = sqlite.prepare('SELECT key, value FROM meta ORDER BY key').raw().all() as Array<[string, string]>;
  for (const [key, value] of rows) refuseNulIn('meta', `meta ${key}`, { key, value });
  await client.query('DELETE FROM meta');
  await execute(client, {
    text: 'INSERT INTO meta (key, value) SELECT * FROM unnest($1::text[], $2::text[])',
    values: [arrayLiteral(rows.map(([key]) => key)), arrayLiteral(rows.map(([, value]) => value))],
  });
  return rows.length;
}

/** Copies one table CHUNK rows at a time; answers the rows copied. */
async function copyTable(sqlite: Database.Database, client: ClientBase, copy: TableCopy): Promise<number> {
  const names = copy.columns.map((c) => c.name);
  const params = copy.columns.map((c, i) => `$${i + 1}::${c.type === 'jsonb' ? 'text' : c.type}[]`);
  const values = copy.columns.map((c) => (c.type === 'jsonb' ? `t.${c.name}::jsonb` : `t.${c.name}`));
  const sql = `INSERT INTO ${copy.table} (${names.join(', ')}) SELECT ${values.join(', ')}
               FROM unnest(${params.join(', ')}) AS t(${names.join(', ')})`;
  let copied = 0;
  let chunk: SqliteRow[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = chunk;
    chunk = [];
    for (const row of rows) refuseNulIn(copy.table, copy.key(row), row);
    copied += await execute(client, {
      text: sql,
      values: copy.columns.map((c) => arrayLiteral(rows.map(c.value))),
    });
  };
  for (const row of sqlite.prepare(copy.select).iterate() as IterableIterator<SqliteRow>) {
    chunk.push(row);
    if (chunk.length >= CHUNK) await flush();
  }
  await flush();
  return copied;
}

function refuseNulIn(table: string, what: string, row: SqliteRow): void {
  for (const [name, value] of Object.entries(row))
    if (typeof value === 'string' && hasNul(value))
      throw new DirectoryError(
        'INVALID_ARGUMENT',
        `the SQLite store's ${table} cannot be copied: ${what} has the character U+0000 in ${name}, which PostgreSQL text cannot hold; ` +
          'change it at its source (or remove it), then migrate again',
      );
}

/** SQLite's AUTOINCREMENT high-water mark of a table (a removed last row's number is not reused), or 0. */
function sequenceOf(sqlite: Database.Database, table: string): number {
  const hasSequences = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get();
  if (!hasSequences) return 0;
  return (
    (sqlite.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').pluck().get(table) as number | undefined) ?? 0
  );
}

/** Sets the identity's sequence past the copied values (and SQLite's high-water mark). */
async function setIdentity(client: ClientBase, copy: TableCopy, atLeast: number): Promise<void> {
  const column = copy.identity!;
  await client.query(
    `SELECT setval(pg_get_serial_sequence($1, $2), greatest(v, 1), v > 0)
     FROM (SELECT greatest(coalesce(max(${column}), 0), $3::bigint) AS v FROM ${copy.table}) m`,
    [copy.table, column, atLeast],
  );
}

/** Counts every table on both sides; INTERNAL (and no commit) when one differs. */
async function verifyCounts(sqlite: Database.Database, client: ClientBase, imported: ImportedTable[]): Promise<void> {
  for (const { table } of imported) {
    const source = sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    const target = (await firstValue<number>(client, { text: `SELECT count(*) FROM ${table}` }))!;
    if (source !== target)
      throw new DirectoryError(
        'INTERNAL',
        `the copy of ${table} has ${target} rows, the SQLite store ${source}: nothing was written`,
      );
  }
}
