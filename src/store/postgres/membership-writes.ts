import type { ClientBase } from 'pg';
import { DirectoryError } from '../../domain/errors';
import type { PairList } from '../store';
import { execute, intArray } from './sql';

/**
 * Membership writes of apply (apply.ts): external-id pairs mapped to row ids in one pass, then
 * added or removed in bulk, two integer arrays per statement.
 */

/** Membership pairs as row ids: `owners[i]` is the group (parent) end, `members[i]` the member. */
export interface PairIds {
  readonly owners: Int32Array;
  readonly members: Int32Array;
  /** True when no pair repeats (sortedPairs). */
  readonly distinct: boolean;
}

/** Membership pairs bound per statement. */
const PAIR_CHUNK = 20_000;

/**
 * Maps `[member, owner]` external-id pairs to row ids in one pass over the list (a PairList is
 * iterated once). `skip` drops pairs with an unknown end (removals); `users` and `groups` refuse
 * them with INVALID_ARGUMENT, checking the ends in the SQLite backend's order so that the same
 * pair is named (a user membership: the group, then the user; a group membership: the child, then
 * the parent, then that it is not its own member).
 */
export function pairIds(
  pairs: PairList,
  owners: ReadonlyMap<string, number>,
  members: ReadonlyMap<string, number>,
  check: 'skip' | 'users' | 'groups',
): PairIds {
  const o = new Int32Array(pairs.length);
  const m = new Int32Array(pairs.length);
  let n = 0;
  for (const [member, owner] of pairs) {
    let ownerId: number | undefined;
    let memberId: number | undefined;
    if (check === 'skip') {
      ownerId = owners.get(owner);
      memberId = members.get(member);
      if (ownerId === undefined || memberId === undefined) continue;
    } else if (check === 'groups') {
      memberId = required(members, member, 'group');
      ownerId = required(owners, owner, 'group');
      if (ownerId === memberId)
        throw new DirectoryError('INVALID_ARGUMENT', `group ${member} cannot be a member of itself`);
    } else {
      ownerId = required(owners, owner, 'group');
      memberId = required(members, member, 'user');
    }
    o[n] = ownerId;
    m[n] = memberId;
    n++;
  }
  return { owners: o.subarray(0, n), members: m.subarray(0, n), distinct: false };
}

function required(ids: ReadonlyMap<string, number>, externalId: string, kind: string): number {
  const id = ids.get(externalId);
  if (id === undefined)
    throw new DirectoryError('INVALID_ARGUMENT', `membership refers to unknown ${kind} ${externalId}`);
  return id;
}

/** Ids below 2^26 pack a pair into one float64 exactly (owner × 2^26 + member < 2^52). */
const ROW_ID_SPAN = 2 ** 26;

/**
 * The pairs in (owner, member) order without repeats, so inserts walk the primary-key B-tree in
 * order (a first sync adds a million). Pairs with larger ids are left as they are (not distinct).
 */
export function sortedPairs(pairs: PairIds): PairIds {
  const n = pairs.owners.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = pairs.owners[i]!;
    const m = pairs.members[i]!;
    if (o >= ROW_ID_SPAN || m >= ROW_ID_SPAN) return pairs;
    keys[i] = o * ROW_ID_SPAN + m;
  }
  keys.sort();
  const owners = new Int32Array(n);
  const members = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && keys[i] === keys[i - 1]) continue;
    owners[k] = Math.floor(keys[i]! / ROW_ID_SPAN);
    members[k] = keys[i]! % ROW_ID_SPAN;
    k++;
  }
  return { owners: owners.subarray(0, k), members: members.subarray(0, k), distinct: true };
}

/** The tables a kind of membership lives in, with its two columns (owner first). */
export const USER_MEMBERSHIPS = { table: 'user_groups', owner: 'group_id', member: 'user_id' } as const;
export const GROUP_MEMBERSHIPS = { table: 'group_groups', owner: 'parent_id', member: 'child_id' } as const;
type MembershipTable = typeof USER_MEMBERSHIPS | typeof GROUP_MEMBERSHIPS;

/**
 * Adds the pairs; answers how many were not there yet. Pairs with an end created in this apply
 * (`isNew`) cannot be there: a plain INSERT. The others skip what is there with an anti-join
 * rather than ON CONFLICT (speculative insertion made inserts ~40% slower). Both are safe because
 * the pairs are distinct and a directory's memberships are written only under its apply lock,
 * so no other transaction adds the same pair meanwhile. Pairs that are not known to be distinct
 * take ON CONFLICT DO NOTHING.
 */
export async function addPairs(
  client: ClientBase,
  into: MembershipTable,
  pairs: PairIds,
  isNew: (owner: number, member: number) => boolean,
): Promise<number> {
  const { table, owner, member } = into;
  const unnest = `unnest($1::integer[], $2::integer[]) AS t(o, m)`;
  if (!pairs.distinct)
    return chunked(
      client,
      `INSERT INTO ${table} (${owner}, ${member}) SELECT o, m FROM ${unnest} ON CONFLICT DO NOTHING`,
      pairs,
    );
  const fresh = partition(pairs, isNew);
  return (
    (await chunked(client, `INSERT INTO ${table} (${owner}, ${member}) SELECT o, m FROM ${unnest}`, fresh.yes)) +
    (await chunked(
      client,
      `INSERT INTO ${table} (${owner}, ${member}) SELECT o, m FROM ${unnest}
       WHERE NOT EXISTS (SELECT 1 FROM ${table} x WHERE x.${owner} = t.o AND x.${member} = t.m)`,
      fresh.no,
    ))
  );
}

/** Removes the pairs; answers how many were there. */
export async function removePairs(client: ClientBase, from: MembershipTable, pairs: PairIds): Promise<number> {
  const { table, owner, member } = from;
  return chunked(
    client,
    `DELETE FROM ${table} WHERE (${owner}, ${member}) IN (SELECT * FROM unnest($1::integer[], $2::integer[]))`,
    pairs,
  );
}

function partition(pairs: PairIds, test: (owner: number, member: number) => boolean): { yes: PairIds; no: PairIds } {
  const n = pairs.owners.length;
  const yes = { owners: new Int32Array(n), members: new Int32Array(n), distinct: pairs.distinct };
  const no = { owners: new Int32Array(n), members: new Int32Array(n), distinct: pairs.distinct };
  let y = 0;
  let x = 0;
  for (let i = 0; i < n; i++) {
    const o = pairs.owners[i]!;
    const m = pairs.members[i]!;
    if (test(o, m)) {
      yes.owners[y] = o;
      yes.members[y++] = m;
    } else {
      no.owners[x] = o;
      no.members[x++] = m;
    }
  }
  return {
    yes: { ...yes, owners: yes.owners.subarray(0, y), members: yes.members.subarray(0, y) },
    no: { ...no, owners: no.owners.subarray(0, x), members: no.members.subarray(0, x) },
  };
}

/** Runs `sql` ($1 owners, $2 members) over the pairs in chunks; answers the rows it changed. */
async function chunked(client: ClientBase, sql: string, pairs: PairIds): Promise<number> {
  let changed = 0;
  for (let at = 0; at < pairs.owners.length; at += PAIR_CHUNK)
    changed += await execute(client, {
      text: sql,
      values: [
        intArray(pairs.owners.subarray(at, at + PAIR_CHUNK)),
        intArray(pairs.members.subarray(at, at + PAIR_CHUNK)),
      ],
    });
  return changed;
}
