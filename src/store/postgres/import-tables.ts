import { foldName } from '../../domain/names';
import { foldedAttributes } from './bulk-columns';

/**
 * How each table of the SQLite store (src/store/sqlite/migrations.ts) is copied into the
 * PostgreSQL store (migrations.ts) by `crowdgate migrate-store` (import-sqlite.ts): what is read,
 * and each PostgreSQL column computed from a SQLite row. Row ids and sequence numbers are kept;
 * folded copies the SQLite store does not keep are computed with `foldName`, as apply does;
 * SQLite's 0/1 become booleans. In copy order: the tables with nothing before them first.
 */
export type SqliteRow = Readonly<Record<string, unknown>>;
type Value = string | number | boolean | null;

export interface TargetColumn {
  readonly name: string;
  /** Bound as an array of this type (jsonb as text, cast per element). */
  readonly type: 'text' | 'integer' | 'bigint' | 'boolean' | 'jsonb';
  readonly value: (row: SqliteRow) => Value;
}

export interface TableCopy {
  readonly table: string;
  /** The SQLite query, in primary-key order; its rows are read one chunk at a time. */
  readonly select: string;
  /** Names the row in messages. */
  readonly key: (row: SqliteRow) => string;
  readonly columns: readonly TargetColumn[];
  /** The identity column, whose sequence is set past the copied values afterwards. */
  readonly identity?: string;
}

const column = (name: string, type: TargetColumn['type'] = 'text'): TargetColumn => ({
  name,
  type,
  value: (row) => row[name] as Value,
});
const flag = (name: string): TargetColumn => ({ name, type: 'boolean', value: (row) => row[name] === 1 });
const folded = (name: string, from: string): TargetColumn => ({
  name,
  type: 'text',
  value: (row) => foldName(row[from] as string),
});
const attributesFold: TargetColumn = {
  name: 'attributes_fold',
  type: 'jsonb',
  value: (row) => foldedAttributes(JSON.parse(row.attributes as string) as Record<string, unknown>),
};

export const TABLE_COPIES: readonly TableCopy[] = [
  {
    table: 'directories',
    select: 'SELECT * FROM directories ORDER BY id',
    key: (row) => `directory ${String(row.name)}`,
    columns: [
      column('id', 'integer'),
      column('name'),
      column('name_lower'),
      column('provider'),
      column('position', 'integer'),
      column('created_at', 'bigint'),
      column('data_version', 'bigint'),
    ],
    identity: 'id',
  },
  {
    table: 'users',
    select: 'SELECT * FROM users ORDER BY id',
    key: (row) => `user ${JSON.stringify(row.name)} (directory ${String(row.directory_id)})`,
    columns: [
      column('id', 'integer'),
      column('directory_id', 'integer'),
      column('external_id'),
      column('name'),
      column('name_lower'),
      column('first_name'),
      column('last_name'),
      column('display_name'),
      column('email'),
      column('email_lower'),
      folded('first_name_fold', 'first_name'),
      folded('last_name_fold', 'last_name'),
      folded('display_name_fold', 'display_name'),
      folded('external_id_fold', 'external_id'),
      flag('active'),
      column('created_at', 'bigint'),
      column('updated_at', 'bigint'),
      column('attributes'),
      attributesFold,
    ],
    identity: 'id',
  },
  {
    table: 'groups',
    select: 'SELECT * FROM groups ORDER BY id',
    key: (row) => `group ${JSON.stringify(row.name)} (directory ${String(row.directory_id)})`,
    columns: [
      column('id', 'integer'),
      column('directory_id', 'integer'),
      column('external_id'),
      column('name'),
      column('name_lower'),
      column('description'),
      folded('description_fold', 'description'),
      folded('external_id_fold', 'external_id'),
      flag('active'),
      flag('local'),
      column('created_at', 'bigint'),
      column('updated_at', 'bigint'),
      column('attributes'),
      attributesFold,
    ],
    identity: 'id',
  },
  {
    table: 'user_groups',
    select: 'SELECT group_id, user_id FROM user_groups ORDER BY group_id, user_id',
    key: (row) => `membership ${String(row.group_id)}/${String(row.user_id)}`,
    columns: [column('group_id', 'integer'), column('user_id', 'integer')],
  },
  {
    table: 'group_groups',
    select: 'SELECT parent_id, child_id FROM group_groups ORDER BY parent_id, child_id',
    key: (row) => `membership ${String(row.parent_id)}/${String(row.child_id)}`,
    columns: [column('parent_id', 'integer'), column('child_id', 'integer')],
  },
  {
    table: 'sync_cursors',
    select: 'SELECT * FROM sync_cursors ORDER BY directory_id',
    key: (row) => `cursor of directory ${String(row.directory_id)}`,
    columns: [column('directory_id', 'integer'), column('cursor')],
  },
  {
    table: 'sync_runs',
    select: 'SELECT * FROM sync_runs ORDER BY id',
    key: (row) => `run ${String(row.id)}`,
    columns: [
      column('id', 'integer'),
      column('directory_id', 'integer'),
      column('mode'),
      column('trigger'),
      column('status'),
      column('started_at', 'bigint'),
      column('finished_at', 'bigint'),
      column('counts'),
      column('error'),
      column('report'),
    ],
    identity: 'id',
  },
  {
    table: 'events',
    select: 'SELECT * FROM events ORDER BY seq',
    key: (row) => `event ${String(row.seq)}`,
    columns: [
      column('seq', 'bigint'),
      column('directory_id', 'integer'),
      column('created_at', 'bigint'),
      column('payload'),
    ],
    identity: 'seq',
  },
  {
    table: 'config_entries',
    select: 'SELECT * FROM config_entries ORDER BY kind, name_lower',
    key: (row) => `${String(row.kind)} ${JSON.stringify(row.name)}`,
    columns: [
      column('kind'),
      column('name'),
      column('name_lower'),
      column('body'),
      column('sealed_secrets'),
      flag('enabled'),
      column('version', 'integer'),
      column('created_at', 'bigint'),
      column('updated_at', 'bigint'),
    ],
  },
  {
    table: 'admin_tokens',
    select: 'SELECT * FROM admin_tokens ORDER BY name_lower',
    key: (row) => `administrator token ${JSON.stringify(row.name)}`,
    columns: [
      column('name_lower'),
      column('name'),
      column('scope'),
      column('digest'),
      column('created_at', 'bigint'),
      column('expires_at', 'bigint'),
      column('last_used_at', 'bigint'),
      flag('setup'),
    ],
  },
  {
    table: 'admin_sessions',
    select: 'SELECT * FROM admin_sessions ORDER BY digest',
    key: (row) => `console session of ${JSON.stringify(row.token_name)}`,
    columns: [
      column('digest'),
      column('token_name'),
      column('csrf_digest'),
      column('created_at', 'bigint'),
      column('expires_at', 'bigint'),
    ],
  },
  {
    table: 'audit_log',
    select: 'SELECT * FROM audit_log ORDER BY id',
    key: (row) => `audit entry ${String(row.id)}`,
    columns: [
      column('id', 'bigint'),
      column('at', 'bigint'),
      column('principal'),
      column('source'),
      column('operation'),
      column('arguments'),
      column('outcome'),
      column('error'),
    ],
    identity: 'id',
  },
];
