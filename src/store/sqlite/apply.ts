import type { Database } from 'better-sqlite3';
import { DirectoryError } from '../../domain/errors';
import { foldName } from '../../domain/names';
import type { GroupRecord } from '../../domain/group';
import type { UserRecord } from '../../domain/user';
import type { ApplyResult, ChangeSet, PairList } from '../store';

/**
 * Applies one change set to one directory. Must run inside a transaction (the caller wraps it),
 * so a failure at any step leaves the directory exactly as it was.
 *
 * Renames may swap names within one set (A→B while B→A): names that change are first moved to a
 * placeholder that cannot collide (`\u0000` + row id), then set to their final value.
 */
export function applyChangeSet(db: Database, directoryId: number, changes: ChangeSet, now: number): ApplyResult {
  const userIds = idMap(db, 'users', directoryId);
  const groupIds = idMap(db, 'groups', directoryId);
  let membershipsRemoved = 0;
  let membershipsAdded = 0;

  const deleteUserMembership = db.prepare('DELETE FROM user_groups WHERE group_id = ? AND user_id = ?');
  for (const [user, group] of changes.removeUserMemberships ?? []) {
    const u = userIds.get(user);
    const g = groupIds.get(group);
    if (u !== undefined && g !== undefined) membershipsRemoved += deleteUserMembership.run(g, u).changes;
  }
  const deleteGroupMembership = db.prepare('DELETE FROM group_groups WHERE parent_id = ? AND child_id = ?');
  for (const [child, parent] of changes.removeGroupMemberships ?? []) {
    const c = groupIds.get(child);
    const p = groupIds.get(parent);
    if (c !== undefined && p !== undefined) membershipsRemoved += deleteGroupMembership.run(p, c).changes;
  }

  const usersRemoved = removeRows(db, 'users', userIds, changes.removeUsers ?? []);
  const groupsRemoved = removeRows(db, 'groups', groupIds, changes.removeGroups ?? []);

  const groups = upsertGroups(db, directoryId, groupIds, changes.upsertGroups ?? [], now);
  const users = upsertUsers(db, directoryId, userIds, changes.upsertUsers ?? [], now);

  // Inserted in primary-key order (group, user): B-tree appends instead of random inserts.
  const keys = packedMembershipKeys(changes.addUserMemberships ?? [], userIds, groupIds).sort();
  // A bulk load (a first sync) rebuilds the by-user index once instead of inserting into it in
  // random order: on 1M memberships that is several times faster. Same transaction: all or nothing.
  const rebuildIndex = keys.length >= BULK_MEMBERSHIPS;
  if (rebuildIndex) db.exec('DROP INDEX user_groups_by_user');
  // One statement per chunk, the keys passed as a JSON array and unpacked in SQL: a million
  // single-row inserts spend most of their time crossing from JavaScript into SQLite.
  const insertUserMemberships = db.prepare(
    `INSERT OR IGNORE INTO user_groups (group_id, user_id) SELECT value / ${ROW_ID_SPAN}, value % ${ROW_ID_SPAN} FROM json_each(?)`,
  );
  for (let at = 0; at < keys.length; at += MEMBERSHIP_CHUNK) {
    membershipsAdded += insertUserMemberships.run(`[${keys.subarray(at, at + MEMBERSHIP_CHUNK).join(',')}]`).changes;
  }
  if (rebuildIndex) db.exec('CREATE INDEX user_groups_by_user ON user_groups (user_id, group_id)');
  const insertGroupMembership = db.prepare('INSERT OR IGNORE INTO group_groups (parent_id, child_id) VALUES (?, ?)');
  for (const [child, parent] of changes.addGroupMemberships ?? []) {
    const c = required(groupIds, child, 'group');
    const p = required(groupIds, parent, 'group');
    if (c === p) throw new DirectoryError('INVALID_ARGUMENT', `group ${child} cannot be a member of itself`);
    membershipsAdded += insertGroupMembership.run(p, c).changes;
  }

  return {
    usersCreated: users.created,
    usersUpdated: users.updated,
    usersRemoved,
    groupsCreated: groups.created,
    groupsUpdated: groups.updated,
    groupsRemoved,
    membershipsAdded,
    membershipsRemoved,
  };
}

type Table = 'users' | 'groups';

/** Membership additions from which the by-user index is rebuilt rather than maintained. */
const BULK_MEMBERSHIPS = 100_000;

function idMap(db: Database, table: Table, directoryId: number): Map<string, number> {
  const rows = db
    .prepare(`SELECT external_id, id FROM ${table} WHERE directory_id = ?`)
    .raw()
    .all(directoryId) as Array<[string, number]>;
  return new Map(rows);
}

/**
 * Row ids below 2^26 (67M rows) pack a (group, user) pair into one float64 exactly: group × 2^26
 * + user < 2^52. Sorting a Float64Array of keys is the (group, user) order, at 8 bytes a pair.
 */
const ROW_ID_SPAN = 2 ** 26;
/** Membership keys per INSERT statement (~170 KB of JSON). */
const MEMBERSHIP_CHUNK = 10_000;

function packedMembershipKeys(
  pairs: PairList,
  userIds: Map<string, number>,
  groupIds: Map<string, number>,
): Float64Array {
  const keys = new Float64Array(pairs.length);
  let i = 0;
  for (const [user, group] of pairs) {
    const g = required(groupIds, group, 'group');
    const u = required(userIds, user, 'user');
    if (g >= ROW_ID_SPAN || u >= ROW_ID_SPAN)
      throw new DirectoryError(
        'INTERNAL',
        `row id ${Math.max(g, u)} is beyond the ${ROW_ID_SPAN} this store packs memberships for`,
      );
    keys[i++] = g * ROW_ID_SPAN + u;
  }
  return keys.subarray(0, i);
}

function required(ids: Map<string, number>, externalId: string, kind: string): number {
  const id = ids.get(externalId);
  if (id === undefined)
    throw new DirectoryError('INVALID_ARGUMENT', `membership refers to unknown ${kind} ${externalId}`);
  return id;
}

/** Runs one row write, turning a uniqueness violation into a CONFLICT that names the row. */
function uniquely<T>(table: Table, name: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    // Duck-typed: better-sqlite3's SqliteError may come from another realm (its class is cached by the addon).
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new DirectoryError(
        'CONFLICT',
        `${table === 'users' ? 'user' : 'group'} name ${name} is already taken in this directory (names are case-insensitive)`,
        { cause: error },
      );
    }
    throw error;
  }
}

function removeRows(db: Database, table: Table, ids: Map<string, number>, externalIds: readonly string[]): number {
  const remove = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
  let removed = 0;
  for (const externalId of externalIds) {
    const id = ids.get(externalId);
    if (id === undefined) continue;
    removed += remove.run(id).changes;
    ids.delete(externalId);
  }
  return removed;
}

interface UpsertCounts {
  created: number;
  updated: number;
}

/** Moves the names of existing rows that are about to be renamed out of the way. */
function parkRenamedRows(
  db: Database,
  table: Table,
  ids: Map<string, number>,
  records: readonly { externalId: string; name: string }[],
): void {
  const current = db.prepare(`SELECT name FROM ${table} WHERE id = ?`).pluck();
  const park = db.prepare(`UPDATE ${table} SET name_lower = char(0) || id WHERE id = ?`);
  for (const record of records) {
    const id = ids.get(record.externalId);
    if (id !== undefined && current.get(id) !== record.name) park.run(id);
  }
}

function upsertUsers(
  db: Database,
  directoryId: number,
  ids: Map<string, number>,
  records: readonly UserRecord[],
  now: number,
): UpsertCounts {
  const table = 'users';
  parkRenamedRows(db, table, ids, records);
  const insert = db.prepare(
    `INSERT INTO users (directory_id, external_id, name, name_lower, first_name, last_name, display_name, email, email_lower, active, created_at, updated_at, attributes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const update = db.prepare(
    `UPDATE users SET name = ?, name_lower = ?, first_name = ?, last_name = ?, display_name = ?, email = ?, email_lower = ?, active = ?, updated_at = ?, attributes = ?
     WHERE id = ?`,
  );
  const counts = { created: 0, updated: 0 };
  for (const r of records) {
    const attributes = JSON.stringify(r.attributes);
    const id = ids.get(r.externalId);
    const common = [
      r.name,
      foldName(r.name),
      r.firstName,
      r.lastName,
      r.displayName,
      r.email,
      foldName(r.email),
      r.active ? 1 : 0,
    ] as const;
    if (id === undefined) {
      const info = uniquely(table, r.name, () =>
        insert.run(directoryId, r.externalId, ...common, now, now, attributes),
      );
      ids.set(r.externalId, Number(info.lastInsertRowid));
      counts.created++;
    } else {
      uniquely(table, r.name, () => update.run(...common, now, attributes, id));
      counts.updated++;
    }
  }
  return counts;
}

function upsertGroups(
  db: Database,
  directoryId: number,
  ids: Map<string, number>,
  records: readonly GroupRecord[],
  now: number,
): UpsertCounts {
  const table = 'groups';
  parkRenamedRows(db, table, ids, records);
  const insert = db.prepare(
    `INSERT INTO groups (directory_id, external_id, name, name_lower, description, active, local, created_at, updated_at, attributes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const update = db.prepare(
    `UPDATE groups SET name = ?, name_lower = ?, description = ?, active = ?, local = ?, updated_at = ?, attributes = ? WHERE id = ?`,
  );
  const counts = { created: 0, updated: 0 };
  for (const r of records) {
    const common = [r.name, foldName(r.name), r.description, r.active ? 1 : 0, r.local ? 1 : 0] as const;
    const attributes = JSON.stringify(r.attributes);
    const id = ids.get(r.externalId);
    if (id === undefined) {
      const info = uniquely(table, r.name, () =>
        insert.run(directoryId, r.externalId, ...common, now, now, attributes),
      );
      ids.set(r.externalId, Number(info.lastInsertRowid));
      counts.created++;
    } else {
      uniquely(table, r.name, () => update.run(...common, now, attributes, id));
      counts.updated++;
    }
  }
  return counts;
}
