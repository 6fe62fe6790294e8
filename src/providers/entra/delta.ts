import type { ProviderChange, ProviderMember } from '../provider';
import type { GraphClient } from './client';
import type { DeltaCursor } from './cursor';
import { GraphFailure } from './errors';
import { pages } from './paging';
import {
  GROUP_SELECT,
  groupInScope,
  hasName,
  isRemoved,
  mapGroup,
  mapMember,
  mapUser,
  USER_SELECT,
  type GraphObject,
} from './mapper';

/**
 * Graph delta queries for users and groups (https://learn.microsoft.com/en-us/graph/delta-query-overview,
 * https://learn.microsoft.com/en-us/graph/api/user-delta, https://learn.microsoft.com/en-us/graph/api/group-delta).
 *
 * Contracts:
 * - Query options go on the first request only; they live on in the links. Users select the
 *   mapped properties; groups add `members`, so membership changes arrive as `members@delta`.
 * - A round follows next links until a page carries the delta link; every page is read before
 *   anything is returned.
 * - Entries are merged per object, later over earlier: an object seen twice (replays, or a large
 *   group split over pages, each with a slice of `members@delta`) counts once, in its last state.
 * - `@removed` (reason `changed` = soft-deleted, `deleted` = gone) deletes the user or group; on a
 *   members@delta entry it removes the membership (removal from the group and deletion alike).
 * - A group entry without a name (a bare id) changes no group properties.
 * - Changes come out users first, then group upserts, memberships, group deletions; the engine's
 *   mirror applies them idempotently, so a replayed change is harmless.
 * - 410 Gone, `syncStateNotFound` and other token failures mean "start over" (resync).
 */
export const USERS_DELTA = `/users/delta?$select=${USER_SELECT.join(',')}`;
export const GROUPS_DELTA = `/groups/delta?$select=${[...GROUP_SELECT, 'members'].join(',')}`;

const RESYNC_CODES = new Set([
  'syncStateNotFound',
  'syncStateInvalid',
  'resyncRequired',
  'Directory_ExpiredPageToken',
  'ExpiredDeltaToken',
]);

export class ResyncRequired extends Error {
  override readonly name = 'ResyncRequired';
}

/** "From now on": delta links made with `$deltatoken=latest` (no initial round). */
export async function latestCursor(client: GraphClient): Promise<DeltaCursor> {
  const [users, groups] = await both(
    round(client, `${USERS_DELTA}&$deltatoken=latest`),
    round(client, `${GROUPS_DELTA}&$deltatoken=latest`),
  );
  return { users: users.deltaLink, groups: groups.deltaLink };
}

export interface DeltaChanges {
  readonly changes: ProviderChange[];
  readonly cursor: DeltaCursor;
}

/** Every change since `cursor`; throws ResyncRequired when Graph says the links are no good. */
export async function readChanges(
  client: GraphClient,
  cursor: DeltaCursor,
  groupTypes: 'all' | 'security',
): Promise<DeltaChanges> {
  const [users, groups] = await both(round(client, cursor.users), round(client, cursor.groups));
  const changes: ProviderChange[] = [];
  userChanges(users.values, changes);
  groupChanges(groups.values, groupTypes, changes);
  return { changes, cursor: { users: users.deltaLink, groups: groups.deltaLink } };
}

interface Round {
  readonly values: GraphObject[];
  readonly deltaLink: string;
}

async function round(client: GraphClient, first: string): Promise<Round> {
  const values: GraphObject[] = [];
  try {
    for await (const page of pages(client, first)) {
      for (const value of page.values) values.push(value);
      if (page.deltaLink !== undefined) return { values, deltaLink: page.deltaLink };
      if (page.nextLink === undefined)
        throw new GraphFailure(
          200,
          'IncompleteDelta',
          'a delta page carried neither a next link nor a delta link',
          'GET delta',
        );
    }
  } catch (error) {
    if (error instanceof GraphFailure && needsResync(error))
      throw new ResyncRequired(`Graph answered ${error.status} ${error.code}: ${error.detail}`, { cause: error });
    throw error;
  }
  throw new GraphFailure(200, 'IncompleteDelta', 'the delta round ended without a delta link', 'GET delta');
}

function needsResync(error: GraphFailure): boolean {
  if (error.status === 410 || RESYNC_CODES.has(error.code)) return true;
  // A delta or skip token Graph no longer understands (e.g. issued for another tenant or app).
  return error.status === 400 && /token/i.test(error.detail);
}

/** Both rounds run together; when one fails the other's outcome is still awaited (no stray rejection). */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

function userChanges(values: readonly GraphObject[], out: ProviderChange[]): void {
  const last = new Map<string, GraphObject>();
  for (const value of values) last.set(value['id'] as string, value);
  for (const [id, user] of last) {
    out.push(isRemoved(user) ? { kind: 'userDeleted', id } : { kind: 'userUpserted', user: mapUser(user) });
  }
}

interface GroupState {
  removed: boolean;
  /** Last entry that carried a name. */
  named: GraphObject | undefined;
  /** Last entry that could tell whether the group is in scope. */
  scope: boolean | null;
  readonly members: Map<string, { member: ProviderMember; removed: boolean }>;
}

function groupChanges(values: readonly GraphObject[], groupTypes: 'all' | 'security', out: ProviderChange[]): void {
  const groups = new Map<string, GroupState>();
  for (const value of values) {
    const id = value['id'] as string;
    let state = groups.get(id);
    if (!state) groups.set(id, (state = { removed: false, named: undefined, scope: null, members: new Map() }));
    if (isRemoved(value)) {
      state.removed = true;
      continue;
    }
    state.removed = false;
    if (hasName(value)) state.named = value;
    const scope = groupInScope(value, groupTypes);
    if (scope !== null) state.scope = scope;
    const entries = value['members@delta'];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as unknown[]) {
      if (typeof entry !== 'object' || entry === null || typeof (entry as { id?: unknown }).id !== 'string') continue;
      const member = mapMember(entry as GraphObject);
      if (member) state.members.set(member.id, { member, removed: isRemoved(entry as GraphObject) });
    }
  }
  const deleted: string[] = [];
  const memberships: ProviderChange[] = [];
  for (const [id, state] of groups) {
    if (state.removed || state.scope === false) {
      deleted.push(id);
      continue;
    }
    if (state.named) out.push({ kind: 'groupUpserted', group: mapGroup(state.named) });
    for (const { member, removed } of state.members.values()) {
      memberships.push(
        removed ? { kind: 'memberRemoved', groupId: id, member } : { kind: 'memberAdded', groupId: id, member },
      );
    }
  }
  for (const change of memberships) out.push(change);
  for (const id of deleted) out.push({ kind: 'groupDeleted', id });
}
