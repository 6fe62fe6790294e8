import type { Attributes, User } from '../../domain/user';
import type { Group } from '../../domain/group';

/**
 * Users and groups are read with `rowMode: 'array'` (each row an array in column order), as the
 * SQLite backend reads them raw: no per-row key objects for a listing of 100k users. The SQL
 * column list and the tuple positions `toUser` and `toGroup` read both come from the one list
 * below, so they cannot drift apart. int8 columns arrive as numbers (connection.ts), booleans
 * as booleans, `attributes` as the JSON text stored, parsed on first read.
 */
const USER_COLUMN_LIST = [
  'id',
  'directory_id',
  'external_id',
  'name',
  'first_name',
  'last_name',
  'display_name',
  'email',
  'active',
  'created_at',
  'updated_at',
  'attributes',
] as const;
const GROUP_COLUMN_LIST = [
  'id',
  'directory_id',
  'external_id',
  'name',
  'description',
  'active',
  'local',
  'created_at',
  'updated_at',
  'attributes',
] as const;

/** A row as `SELECT ${USER_COLUMNS}` or `SELECT ${GROUP_COLUMNS}` returns it in array mode. */
export type ArrayRow = ReadonlyArray<string | number | boolean>;

export const USER_COLUMNS = USER_COLUMN_LIST.map((c) => `u.${c}`).join(', ');
export const GROUP_COLUMNS = GROUP_COLUMN_LIST.map((c) => `g.${c}`).join(', ');

function positions<C extends string>(columns: readonly C[]): Record<C, number> {
  return Object.fromEntries(columns.map((c, i) => [c, i])) as Record<C, number>;
}
const U = positions(USER_COLUMN_LIST);
const G = positions(GROUP_COLUMN_LIST);

export function toUser(row: ArrayRow): User {
  const attributes = lazyAttributes(row[U.attributes] as string);
  return {
    id: row[U.id] as number,
    directoryId: row[U.directory_id] as number,
    externalId: row[U.external_id] as string,
    name: row[U.name] as string,
    firstName: row[U.first_name] as string,
    lastName: row[U.last_name] as string,
    displayName: row[U.display_name] as string,
    email: row[U.email] as string,
    active: row[U.active] === true,
    createdAt: new Date(row[U.created_at] as number),
    updatedAt: new Date(row[U.updated_at] as number),
    get attributes() {
      return attributes();
    },
  };
}

export function toGroup(row: ArrayRow): Group {
  const attributes = lazyAttributes(row[G.attributes] as string);
  return {
    id: row[G.id] as number,
    directoryId: row[G.directory_id] as number,
    externalId: row[G.external_id] as string,
    name: row[G.name] as string,
    description: row[G.description] as string,
    active: row[G.active] === true,
    local: row[G.local] === true,
    createdAt: new Date(row[G.created_at] as number),
    updatedAt: new Date(row[G.updated_at] as number),
    get attributes() {
      return attributes();
    },
  };
}

const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** `attributes` parsed on first read (see src/store/sqlite/rows.ts for why). */
function lazyAttributes(json: string): () => Attributes {
  let parsed: Attributes | undefined;
  return () => (parsed ??= json === '{}' ? NO_ATTRIBUTES : (JSON.parse(json) as Attributes));
}
