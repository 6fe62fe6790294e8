import type { ClientBase } from 'pg';
import { MIGRATION_LOCK } from './locks';
import type { Migration } from './migrations';

/**
 * Applies the pending migrations, in order, each in its own transaction, and answers the names
 * it applied. The whole run holds the session advisory lock MIGRATION_LOCK on `client`, so nodes
 * starting together migrate one after the other: the second waits, then finds them applied.
 * Migrations recorded in `schema_migrations` that `migrations` does not list (applied by a newer
 * build) are left alone, as the SQLite backend does.
 */
export async function migrate(client: ClientBase, migrations: readonly Migration[]): Promise<string[]> {
  await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text COLLATE "C" PRIMARY KEY, applied_at bigint NOT NULL)',
    );
    const applied = new Set(
      (await client.query<[string]>({ text: 'SELECT name FROM schema_migrations', rowMode: 'array' })).rows.map(
        ([name]) => name,
      ),
    );
    const ran: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql); // simple protocol: several statements
        await client.query('INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)', [
          migration.name,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(
          `the PostgreSQL migration ${migration.name} failed: ${(error as { message?: unknown } | null)?.message ?? String(error)}`,
          { cause: error },
        );
      }
      ran.push(migration.name);
    }
    return ran;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK]);
  }
}
