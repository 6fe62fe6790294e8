import { foldName } from '../../domain/names';
import type { GroupRecord } from '../../domain/group';
import type { Attributes, UserRecord } from '../../domain/user';
import { booleanArray, textArray } from './sql';

/**
 * The columns a bulk upsert writes from records of one kind (apply.ts), each bound as one array
 * parameter and unnested. Folded copies (migrations.ts) are computed here, with `foldName`.
 */
export interface BulkColumns<R> {
  readonly kind: 'user' | 'group';
  readonly table: 'users' | 'groups';
  readonly columns: readonly BulkColumn<R>[];
}

interface BulkColumn<R> {
  readonly name: string;
  /** jsonb columns are bound as text and cast per element. */
  readonly type: 'text' | 'boolean' | 'jsonb';
  readonly value: (record: R) => string | boolean;
}

/** `$n::text[]` (or `boolean[]`) for each column, from parameter `first` on. */
export function arrayParameters<R>(bulk: BulkColumns<R>, first: number): string {
  return bulk.columns.map((c, i) => `$${first + i}::${c.type === 'boolean' ? 'boolean' : 'text'}[]`).join(', ');
}

/** The unnested value of each column as the column's type (`t` is the unnest alias). */
export function unnestedValues<R>(bulk: BulkColumns<R>): string[] {
  return bulk.columns.map((c) => (c.type === 'jsonb' ? `t.${c.name}::jsonb` : `t.${c.name}`));
}

/** One array parameter per column, in `columns` order. */
export function arrayValues<R>(bulk: BulkColumns<R>, records: readonly R[]): string[] {
  return bulk.columns.map((c) =>
    c.type === 'boolean'
      ? booleanArray(records.map((r) => c.value(r) as boolean))
      : textArray(records.map((r) => c.value(r) as string)),
  );
}

export const userColumns: BulkColumns<UserRecord> = {
  kind: 'user',
  table: 'users',
  columns: [
    { name: 'name', type: 'text', value: (r) => r.name },
    { name: 'name_lower', type: 'text', value: (r) => foldName(r.name) },
    { name: 'first_name', type: 'text', value: (r) => r.firstName },
    { name: 'last_name', type: 'text', value: (r) => r.lastName },
    { name: 'display_name', type: 'text', value: (r) => r.displayName },
    { name: 'email', type: 'text', value: (r) => r.email },
    { name: 'email_lower', type: 'text', value: (r) => foldName(r.email) },
    { name: 'first_name_fold', type: 'text', value: (r) => foldName(r.firstName) },
    { name: 'last_name_fold', type: 'text', value: (r) => foldName(r.lastName) },
    { name: 'display_name_fold', type: 'text', value: (r) => foldName(r.displayName) },
    { name: 'external_id_fold', type: 'text', value: (r) => foldName(r.externalId) },
    { name: 'active', type: 'boolean', value: (r) => r.active },
    { name: 'attributes', type: 'text', value: (r) => JSON.stringify(r.attributes) },
    { name: 'attributes_fold', type: 'jsonb', value: (r) => foldedAttributes(r.attributes) },
  ],
};

export const groupColumns: BulkColumns<GroupRecord> = {
  kind: 'group',
  table: 'groups',
  columns: [
    { name: 'name', type: 'text', value: (r) => r.name },
    { name: 'name_lower', type: 'text', value: (r) => foldName(r.name) },
    { name: 'description', type: 'text', value: (r) => r.description },
    { name: 'description_fold', type: 'text', value: (r) => foldName(r.description) },
    { name: 'external_id_fold', type: 'text', value: (r) => foldName(r.externalId) },
    { name: 'active', type: 'boolean', value: (r) => r.active },
    { name: 'local', type: 'boolean', value: (r) => r.local },
    { name: 'attributes', type: 'text', value: (r) => JSON.stringify(r.attributes) },
    { name: 'attributes_fold', type: 'jsonb', value: (r) => foldedAttributes(r.attributes) },
  ],
};

/**
 * `attributes` with every string value folded, as JSON for the `attributes_fold` jsonb column:
 * what the SQLite backend's `fold(attr.value)` computes at query time. Every value is an array.
 */
export function foldedAttributes(attributes: Attributes | Readonly<Record<string, unknown>>): string {
  const folded: Record<string, unknown[]> = Object.create(null) as Record<string, unknown[]>;
  let any = false;
  for (const [name, values] of Object.entries(attributes)) {
    folded[name] = (Array.isArray(values) ? (values as unknown[]) : [values]).map((value) =>
      typeof value === 'string' ? foldName(value) : value,
    );
    any = true;
  }
  return any ? JSON.stringify(folded) : '{}';
}
