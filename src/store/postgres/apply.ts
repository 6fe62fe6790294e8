import type { ClientBase } from 'pg';
import { DirectoryError } from '../../domain/errors';
import type { GroupRecord } from '../../domain/group';
import type { UserRecord } from '../../domain/user';
import type { ApplyResult, ChangeSet } from '../store';
import {
  arrayParameters,
  arrayValues,
  groupColumns,
  unnestedValues,
  userColumns,
  type BulkColumns,
} from './bulk-columns';
import { APPLY_LOCK_CLASS } from './locks';
import { addPairs, GROUP_MEMBERSHIPS, pairIds, removePairs, sortedPairs, USER_MEMBERSHIPS } from './membership-writes';
import { refuseNulInGroup, refuseNulInUser } from './nul-text';
import { SQLSTATE, sqlState } from './pg-errors';
import { execute, firstValue, intArray, rowsOf, textArray, type Statement } from './sql';
import { planUpserts, type ExistingRow } from './upsert-plan';

/**
 * Applies one change set to one directory, in bulk statements (arrays bound as parameters and
 * unnested), with the results and refusals of the SQLite backend (src/store/sqlite/apply.ts), in
 * its order: membership removals, user and group removals, group then user upserts, membership
 * additions. Must run inside a transaction (the caller's), so a failure at any step leaves the
 * directory as it was. Takes the directory's apply lock first: applies to one directory are
 * serialized (the id maps read below stay true until commit, and a directory is dropped only
 * under the same lock); readers are never blocked.
 *
 * Call {@link refuseNulInChangeSet} before the transaction: nothing is written for a refused set.
 */
export async function applyChangeSet(
  client: ClientBase,
  directoryId: number,
  changes: ChangeSet,
  now: number,
): Promise<ApplyResult> {
  await client.query('SELECT pg_advisory_xact_lock($1, $2)', [APPLY_LOCK_CLASS, directoryId]);
  // Users and groups have no foreign key (migrations.ts): the one check is here.
  const exists = await firstValue<number>(client, {
    name: 'cg_directory_exists',
    text: 'SELECT 1 FROM directories WHERE id = $1',
    values: [directoryId],
  });
  if (exists === undefined && (changes.upsertUsers?.length || changes.upsertGroups?.length))
    throw new DirectoryError('DIRECTORY_NOT_FOUND', `directory ${directoryId} does not exist`);

  const users = await existingRows(client, 'users', directoryId);
  const groups = await existingRows(client, 'groups', directoryId);
  const userIds = idsOf(users);
  const groupIds = idsOf(groups);

  let membershipsRemoved = 0;
  membershipsRemoved += await removePairs(
    client,
    USER_MEMBERSHIPS,
    pairIds(changes.removeUserMemberships ?? [], groupIds, userIds, 'skip'),
  );
  membershipsRemoved += await removePairs(
    client,
    GROUP_MEMBERSHIPS,
    pairIds(changes.removeGroupMemberships ?? [], groupIds, groupIds, 'skip'),
  );

  const usersRemoved = await removeRows(client, 'users', users, userIds, changes.removeUsers ?? []);
  const groupsRemoved = await removeRows(client, 'groups', groups, groupIds, changes.removeGroups ?? []);

  const upsertedGroups = await upsert(client, directoryId, groupColumns, groups, groupIds, changes.upsertGroups, now);
  const upsertedUsers = await upsert(client, directoryId, userColumns, users, userIds, changes.upsertUsers, now);

  // Rows created by this apply have ids from `newFrom` on; every older row of the directory has a
  // smaller one (identities only grow, and the older rows were committed before the lock).
  const userLinks = sortedPairs(pairIds(changes.addUserMemberships ?? [], groupIds, userIds, 'users'));
  let membershipsAdded = await addPairs(
    client,
    USER_MEMBERSHIPS,
    userLinks,
    (group, user) => group >= upsertedGroups.newFrom || user >= upsertedUsers.newFrom,
  );
  const groupLinks = sortedPairs(pairIds(changes.addGroupMemberships ?? [], groupIds, groupIds, 'groups'));
  membershipsAdded += await addPairs(
    client,
    GROUP_MEMBERSHIPS,
    groupLinks,
    (parent, child) => parent >= upsertedGroups.newFrom || child >= upsertedGroups.newFrom,
  );

  return {
    usersCreated: upsertedUsers.created,
    usersUpdated: upsertedUsers.updated,
    usersRemoved,
    groupsCreated: upsertedGroups.created,
    groupsUpdated: upsertedGroups.updated,
    groupsRemoved,
    membershipsAdded,
    membershipsRemoved,
  };
}

/** Refuses (INVALID_ARGUMENT, naming the record and field) a set whose records hold text PostgreSQL cannot store. */
export function refuseNulInChangeSet(changes: ChangeSet): void {
  (changes.upsertGroups ?? []).forEach(refuseNulInGroup);
  (changes.upsertUsers ?? []).forEach(refuseNulInUser);
}

type Table = 'users' | 'groups';

/** Rows bound per statement (~15 arrays of this length for users). */
const ROW_CHUNK = 5_000;
/** Row ids per DELETE statement. */
const ID_CHUNK = 20_000;

async function existingRows(client: ClientBase, table: Table, directoryId: number): Promise<Map<string, ExistingRow>> {
  const rows = await rowsOf<[string, number, string]>(client, {
    text: `SELECT external_id, id, name FROM ${table} WHERE directory_id = $1`,
    values: [directoryId],
  });
  return new Map(rows.map(([externalId, id, name]) => [externalId, { id, name }]));
}

function idsOf(rows: ReadonlyMap<string, ExistingRow>): Map<string, number> {
  const ids = new Map<string, number>();
  for (const [externalId, row] of rows) ids.set(externalId, row.id);
  return ids;
}

const MEMBERSHIPS_OF: Readonly<Record<Table, readonly string[]>> = {
  users: ['DELETE FROM user_groups WHERE user_id = ANY($1::integer[])'],
  groups: [
    'DELETE FROM user_groups WHERE group_id = ANY($1::integer[])',
    'DELETE FROM group_groups WHERE parent_id = ANY($1::integer[]) OR child_id = ANY($1::integer[])',
  ],
};

/** Deletes rows by external id, with their memberships (which have no foreign keys). */
async function removeRows(
  client: ClientBase,
  table: Table,
  rows: Map<string, ExistingRow>,
  ids: Map<string, number>,
  externalIds: readonly string[],
): Promise<number> {
  const doomed = new Set<number>();
  for (const externalId of externalIds) {
    const id = ids.get(externalId);
    if (id === undefined) continue;
    doomed.add(id);
    ids.delete(externalId);
    rows.delete(externalId);
  }
  const list = Int32Array.from(doomed);
  let removed = 0;
  for (let at = 0; at < list.length; at += ID_CHUNK) {
    const values = [intArray(list.subarray(at, at + ID_CHUNK))];
    for (const text of MEMBERSHIPS_OF[table]) await execute(client, { text, values });
    removed += await execute(client, { text: `DELETE FROM ${table} WHERE id = ANY($1::integer[])`, values });
  }
  return removed;
}

interface Upserted {
  readonly created: number;
  readonly updated: number;
  /** The smallest id created (Infinity: none). */
  readonly newFrom: number;
}

/** Parks renamed rows, updates existing rows, inserts new ones (their ids added to `ids`). */
async function upsert<R extends UserRecord | GroupRecord>(
  client: ClientBase,
  directoryId: number,
  bulk: BulkColumns<R>,
  rows: ReadonlyMap<string, ExistingRow>,
  ids: Map<string, number>,
  records: readonly R[] = [],
  now: number,
): Promise<Upserted> {
  const plan = planUpserts(bulk.kind, rows, records);
  const table = bulk.table;
  if (plan.park.length > 0)
    await execute(client, {
      text: `UPDATE ${table} SET name_lower = 'PARKED ' || id WHERE id = ANY($1::integer[])`,
      values: [intArray(plan.park)],
    });
  const names = bulk.columns.map((c) => c.name);
  const values = unnestedValues(bulk);
  const updateSql = `UPDATE ${table} AS x SET ${names.map((n, i) => `${n} = ${values[i]}`).join(', ')}, updated_at = $1
     FROM unnest($2::integer[], ${arrayParameters(bulk, 3)}) AS t(id, ${names.join(', ')}) WHERE x.id = t.id`;
  await pipelined(
    Math.ceil(plan.updates.length / ROW_CHUNK),
    (i) => {
      const chunk = plan.updates.slice(i * ROW_CHUNK, (i + 1) * ROW_CHUNK);
      return {
        text: updateSql,
        values: [
          now,
          intArray(chunk.map((u) => u.id)),
          ...arrayValues(
            bulk,
            chunk.map((u) => u.record),
          ),
        ],
      };
    },
    (statement) => uniquely(bulk.kind, () => execute(client, statement)),
  );
  const insertSql = `INSERT INTO ${table} (directory_id, created_at, updated_at, external_id, ${names.join(', ')})
     SELECT $1, $2, $2, t.external_id, ${values.join(', ')}
     FROM unnest($3::text[], ${arrayParameters(bulk, 4)}) AS t(external_id, ${names.join(', ')})
     RETURNING external_id, id`;
  let newFrom = Infinity;
  await pipelined(
    Math.ceil(plan.inserts.length / ROW_CHUNK),
    (i) => {
      const chunk = plan.inserts.slice(i * ROW_CHUNK, (i + 1) * ROW_CHUNK);
      return {
        text: insertSql,
        values: [directoryId, now, textArray(chunk.map((r) => r.externalId)), ...arrayValues(bulk, chunk)],
      };
    },
    async (statement) => {
      for (const [externalId, id] of await uniquely(bulk.kind, () => rowsOf<[string, number]>(client, statement))) {
        ids.set(externalId, id);
        if (id < newFrom) newFrom = id;
      }
    },
  );
  return { created: plan.created, updated: plan.updated, newFrom };
}

/**
 * Runs `count` statements one after the other, building statement i + 1 (JavaScript work) while
 * the server runs statement i: the client and the server each have a core to work on.
 */
async function pipelined(
  count: number,
  build: (index: number) => Statement,
  run: (statement: Statement) => Promise<unknown>,
): Promise<void> {
  let next = count > 0 ? build(0) : undefined;
  for (let i = 0; i < count; i++) {
    const running = run(next!);
    try {
      next = i + 1 < count ? build(i + 1) : undefined;
    } finally {
      await running;
    }
  }
}

/**
 * Runs one bulk write, turning a uniqueness violation into a CONFLICT. planUpserts refuses every
 * conflict of the set itself first, naming the record as SQLite does; this is the safety net.
 */
async function uniquely<T>(kind: 'user' | 'group', write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (sqlState(error) === SQLSTATE.uniqueViolation)
      throw new DirectoryError(
        'CONFLICT',
        `a ${kind} name or external id is already taken in this directory (${(error as { detail?: string }).detail ?? 'unique violation'})`,
        { cause: error },
      );
    throw error;
  }
}
