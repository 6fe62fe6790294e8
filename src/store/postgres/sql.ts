import { Pool, type ClientBase, type QueryArrayConfig } from 'pg';

/** Where a statement runs: the pool (any free connection) or one connection (inside a transaction). */
export type Queryable = Pool | ClientBase;

/**
 * A statement: SQL text, its parameters and, for the hot fixed-shape statements, a name, so each
 * pooled connection parses and plans it once (`name` must always come with the same text).
 */
export interface Statement {
  readonly text: string;
  readonly values?: readonly unknown[];
  readonly name?: string;
}

/** The rows of `statement`, each an array of column values in select-list order. */
export async function rowsOf<R extends readonly unknown[]>(db: Queryable, statement: Statement): Promise<R[]> {
  const config: QueryArrayConfig<unknown[]> = {
    text: statement.text,
    values: statement.values as unknown[] | undefined,
    name: statement.name,
    rowMode: 'array',
  };
  const result = db instanceof Pool ? await db.query<unknown[]>(config) : await db.query<unknown[]>(config);
  return result.rows as unknown[] as R[];
}

/** The first column of the first row, or undefined when there is no row. */
export async function firstValue<T>(db: Queryable, statement: Statement): Promise<T | undefined> {
  const [row] = await rowsOf<[T]>(db, statement);
  return row?.[0];
}

/** Runs `statement`; answers the number of rows it inserted, updated or deleted. */
export async function execute(db: Queryable, statement: Statement): Promise<number> {
  const config = { text: statement.text, values: statement.values as unknown[] | undefined, name: statement.name };
  const result = db instanceof Pool ? await db.query(config) : await db.query(config);
  return result.rowCount ?? 0;
}

/**
 * Array parameters as PostgreSQL array text, built here: node-postgres quotes element by element
 * with two regular-expression passes each, which was most of the client's time binding 100k users.
 */
export function intArray(values: ArrayLike<number> & { join(separator: string): string }): string {
  return `{${values.join(',')}}`;
}

/**
 * An array parameter (any element type; strings quoted, `"` and backslash escaped; null as NULL).
 * JSON.stringify (native) writes exactly that, unless a string holds a control character or a lone
 * surrogate, whose escapes (a backslash before anything but `"` or a backslash) PostgreSQL would
 * read otherwise; such arrays are written here element by element instead.
 */
export function arrayLiteral(values: readonly (string | number | boolean | null)[]): string {
  const json = JSON.stringify(values);
  if (!OTHER_JSON_ESCAPE.test(json)) return `{${json.slice(1, -1)}}`;
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (typeof value !== 'string') parts[i] = value === null ? 'NULL' : String(value);
    else parts[i] = NEEDS_ESCAPE.test(value) ? `"${value.replace(/["\\]/g, '\\$&')}"` : `"${value}"`;
  }
  return `{${parts.join(',')}}`;
}
const OTHER_JSON_ESCAPE = /\\[^"\\]/;
const NEEDS_ESCAPE = /["\\]/;

/** A `text[]` parameter without NULL elements. */
export function textArray(values: readonly string[]): string {
  return arrayLiteral(values);
}

/** A `boolean[]` parameter. */
export function booleanArray(values: readonly boolean[]): string {
  return `{${values.map((value) => (value ? 't' : 'f')).join(',')}}`;
}

/** Row ids PostgreSQL `integer` columns can hold; any other number names no row (and must not reach the server). */
export function rowIds(ids: readonly number[]): number[] {
  return ids.filter((id) => Number.isInteger(id) && id >= -2_147_483_648 && id <= 2_147_483_647);
}
