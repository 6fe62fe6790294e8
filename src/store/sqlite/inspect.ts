import type { Database } from 'better-sqlite3';
import { closeSync, openSync, readSync } from 'node:fs';
import { DirectoryError } from '../../domain/errors';
import { MIGRATIONS } from './migrations';

/** The schema version this build writes and reads: the number of migrations (schema_migrations holds 1..n). */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** What a checked store file holds, for messages and for the secret key check of a restore. */
export interface StoreFacts {
  readonly schemaVersion: number;
  readonly directories: number;
  readonly users: number;
  readonly groups: number;
  /**
   * The store's data key wrapped by the master key the store was used with (meta
   * `wrapped_data_key`, see src/admin/secret-vault.ts); null when the store never had one.
   */
  readonly wrappedDataKey: string | null;
}

/** Every SQLite 3 database starts with these 16 bytes (https://www.sqlite.org/fileformat.html#the_database_header). */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Tables every crowdgate store has had since version 1 (migrations.ts). */
const CORE_TABLES = ['schema_migrations', 'directories', 'users', 'groups'];

/** Problems of `PRAGMA integrity_check` quoted in a message; the pragma lists up to 100. */
const QUOTED_PROBLEMS = 3;

/**
 * Throws INVALID_ARGUMENT, naming `file`, unless it is a readable file that starts with the
 * SQLite header. Reads 16 bytes: cheap enough to run before anything else.
 */
export function checkSqliteHeader(file: string): void {
  const head = Buffer.alloc(SQLITE_MAGIC.length);
  let read: number;
  try {
    const fd = openSync(file, 'r');
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new DirectoryError('INVALID_ARGUMENT', `${file} cannot be read (${describeIoError(error)})`, {
      cause: error,
    });
  }
  if (read < head.length || !head.equals(SQLITE_MAGIC))
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      `${file} is not a SQLite database, so not a crowdgate store or backup`,
    );
}

/**
 * Checks the database open on `db` from top to bottom, `label` naming it in messages: SQLite's
 * `integrity_check` (every page, every index against its table), then that it is a crowdgate
 * store (schema_migrations holding versions 1..n and the core tables) no newer than this build.
 * Throws INVALID_ARGUMENT otherwise. Reads every page: seconds for a store of a million rows.
 */
export function inspectStore(db: Database, label: string): StoreFacts {
  let problems: string[];
  let tables: Set<string>;
  try {
    problems = db.prepare('PRAGMA integrity_check').pluck().all() as string[];
    tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  } catch (error) {
    // SQLITE_CORRUPT, SQLITE_NOTADB: the header is right, the rest is not.
    throw damaged(label, error instanceof Error ? error.message : String(error), error);
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    const quoted = problems.slice(0, QUOTED_PROBLEMS).join('; ');
    throw damaged(label, `${quoted}${problems.length > QUOTED_PROBLEMS ? '; …' : ''}`);
  }
  const missing = CORE_TABLES.filter((table) => !tables.has(table));
  if (missing.length > 0)
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      `${label} is a SQLite database but not a crowdgate store (no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''})`,
    );
  const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[];
  const schemaVersion = versions.length;
  if (schemaVersion === 0 || versions.some((version, index) => version !== index + 1))
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      `${label} is not a crowdgate store: its schema_migrations table holds [${versions.join(', ')}], not 1..n`,
    );
  if (schemaVersion > SCHEMA_VERSION)
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      `${label} is a crowdgate store of schema version ${schemaVersion}, newer than this crowdgate's (schema version ${SCHEMA_VERSION}): use the crowdgate release that made it, or a newer one`,
    );
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const wrapped = tables.has('meta')
    ? (db.prepare("SELECT value FROM meta WHERE key = 'wrapped_data_key'").pluck().get() as string | undefined)
    : undefined;
  return {
    schemaVersion,
    directories: count('directories'),
    users: count('users'),
    groups: count('groups'),
    wrappedDataKey: wrapped ?? null,
  };
}

/** Plain words for the file errors an operator can fix; others keep Node's message. */
const IO_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

/** "permission denied (EACCES)" for "cannot be read (…)" and "cannot be written (…)". */
export function describeIoError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && IO_PROBLEMS[code] !== undefined) return `${IO_PROBLEMS[code]}, ${code}`;
  return error instanceof Error ? error.message : String(error);
}

function damaged(label: string, detail: string, cause?: unknown): DirectoryError {
  return new DirectoryError(
    'INVALID_ARGUMENT',
    `${label} is damaged (SQLite: ${detail})`,
    cause === undefined ? undefined : { cause },
  );
}
