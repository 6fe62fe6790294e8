import { Pool, types, type CustomTypesConfig, type PoolClient } from 'pg';
import { DirectoryError } from '../../domain/errors';
import { connectionError } from './pg-errors';
import type { Logger } from '../../logging/logger';
import { parsePostgresUrl } from './target';

export interface PostgresStoreOptions {
  /** `postgres://USER:PASSWORD@HOST:PORT/DATABASE` (query parameters as node-postgres reads them, e.g. `sslmode`). */
  readonly url: string;
  /** Connections at most; at least 1. */
  readonly poolSize: number;
  /** Shown in `pg_stat_activity`; default `crowdgate`. */
  readonly applicationName?: string;
  /**
   * Called with the error of an idle pooled connection (the server restarted, an administrator
   * ended it). The pool has dropped that connection already and opens a new one when needed;
   * without a listener such an error would end the process.
   */
  readonly onIdleError?: (error: Error) => void;
  /**
   * Listen for changes made by other processes (`LISTEN` on a connection of its own, beside the
   * pool) and cache one-name lookups meanwhile (lookup-cache.ts). Default true; off for one-shot
   * tools that do not serve.
   */
  readonly watch?: boolean;
  /** Where the notification connection reports an outage. Default: nowhere. */
  readonly logger?: Logger;
}

/** How long opening a connection may take before it fails (and a request with it). */
export const CONNECT_TIMEOUT_MS = 10_000;
const IDLE_TIMEOUT_MS = 30_000;

const INT8_OID = 20;
/**
 * Row ids, counts, sequence numbers and epoch-millisecond timestamps are `bigint`; all stay below
 * 2^53, so they are read as JS numbers. Set on this store's pool only, never on the global pg.types.
 */
const TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (text: string) => Number(text)
      : types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

/**
 * A pool connected to the server (one connection tried and checked before answering), or a
 * CONFIGURATION error saying why not, with no pool left open. `prepare` runs on that first
 * connection (migrations); its failure also ends the pool.
 */
export async function openPool(
  options: PostgresStoreOptions,
  prepare: (client: PoolClient) => Promise<void>,
): Promise<Pool> {
  const target = parsePostgresUrl(options.url);
  const pool = new Pool({
    connectionString: options.url,
    max: Math.max(1, Math.floor(options.poolSize)),
    application_name: options.applicationName ?? 'crowdgate',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    keepAlive: true,
    types: TYPES,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw connectionError(error, target, CONNECT_TIMEOUT_MS);
  }
  try {
    const encoding = (await client.query<[string]>({ text: 'SHOW server_encoding', rowMode: 'array' })).rows[0]![0];
    if (encoding !== 'UTF8')
      throw new DirectoryError(
        'CONFIGURATION',
        `the PostgreSQL database ${target.label} uses the encoding ${encoding}; crowdgate needs UTF8 (CREATE DATABASE … ENCODING 'UTF8')`,
      );
    await prepare(client);
    client.release();
  } catch (error) {
    client.release(true);
    await pool.end().catch(() => undefined);
    throw error;
  }
  return pool;
}

/** `snapshot`: REPEATABLE READ, READ ONLY — several reads that see one state. */
export type TransactionMode = 'write' | 'snapshot';

const BEGIN: Readonly<Record<TransactionMode, string>> = {
  write: 'BEGIN',
  snapshot: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
};

/**
 * Runs `work` in one transaction on one pooled connection: committed when it resolves, rolled
 * back when it throws. A connection whose rollback fails (it broke) is dropped, not reused.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  mode: TransactionMode = 'write',
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(BEGIN[mode]);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
