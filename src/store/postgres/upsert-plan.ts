import { DirectoryError } from '../../domain/errors';
import { foldName } from '../../domain/names';

/** A row of the directory before the upserts: its id and stored name. */
export interface ExistingRow {
  readonly id: number;
  readonly name: string;
}

/** What to write for one kind of record, in bulk; see {@link planUpserts}. */
export interface UpsertPlan<R> {
  /** Existing rows whose folded name changes: moved to a placeholder name before the updates. */
  readonly park: number[];
  /** One entry per existing row upserted: its last record in the set. */
  readonly updates: Array<{ readonly id: number; readonly record: R }>;
  /** One entry per new external id: its last record in the set. */
  readonly inserts: R[];
  readonly created: number;
  readonly updated: number;
}

/**
 * Plans the upserts of one kind of record so that bulk statements reach the state the SQLite
 * backend reaches writing the records one by one (src/store/sqlite/apply.ts), and refuses them
 * the same way: renamed rows are parked first, then each record is written in order, and the
 * first record whose folded name is held by another row at that moment is a CONFLICT naming it
 * as given. A repeated external id is created once and then updated (counts as SQLite's).
 *
 * `existing` maps the external ids of the directory's rows (after this set's removals) to them.
 * Folded names never contain 'A'–'Z', so the placeholder `'PARKED ' || id` cannot collide.
 */
export function planUpserts<R extends { readonly externalId: string; readonly name: string }>(
  kind: 'user' | 'group',
  existing: ReadonlyMap<string, ExistingRow>,
  records: readonly R[],
): UpsertPlan<R> {
  if (records.length === 0) return { park: [], updates: [], inserts: [], created: 0, updated: 0 };
  // Owner of each folded name: a row id, or the external id of a record created in this set.
  type Owner = number | string;
  const holder = new Map<string, Owner>();
  const nameOf = new Map<Owner, string>();
  for (const row of existing.values()) {
    const folded = foldName(row.name);
    holder.set(folded, row.id);
    nameOf.set(row.id, folded);
  }
  for (const record of records) {
    const row = existing.get(record.externalId);
    if (row !== undefined && row.name !== record.name && holder.get(nameOf.get(row.id)!) === row.id)
      holder.delete(nameOf.get(row.id)!);
  }

  const updates = new Map<number, R>();
  const inserts = new Map<string, R>();
  let created = 0;
  let updated = 0;
  for (const record of records) {
    const row = existing.get(record.externalId);
    const owner: Owner = row?.id ?? record.externalId;
    const folded = foldName(record.name);
    const current = holder.get(folded);
    if (current !== undefined && current !== owner)
      throw new DirectoryError(
        'CONFLICT',
        `${kind} name ${record.name} is already taken in this directory (names are case-insensitive)`,
      );
    const previous = nameOf.get(owner);
    if (previous !== undefined && holder.get(previous) === owner) holder.delete(previous);
    holder.set(folded, owner);
    nameOf.set(owner, folded);
    if (row !== undefined) {
      updates.set(row.id, record);
      updated++;
    } else if (inserts.has(record.externalId)) {
      inserts.set(record.externalId, record);
      updated++;
    } else {
      inserts.set(record.externalId, record);
      created++;
    }
  }

  const park: number[] = [];
  for (const [id, record] of updates) {
    const row = existing.get(record.externalId)!;
    if (foldName(row.name) !== foldName(record.name)) park.push(id);
  }
  return {
    park,
    updates: [...updates].map(([id, record]) => ({ id, record })),
    inserts: [...inserts.values()],
    created,
    updated,
  };
}
