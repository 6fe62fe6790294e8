import { jsonReply, type GraphCall, type GraphEnv } from './context';
import { GraphError, graphErrors } from './errors';
import { idsOnly, parseFilter } from './filter';
import type { Reply } from './http';
import { project, userSchema, type EntitySchema } from './mapping';
import { collectionBody, metadataContext, parseSelect } from './odata';
import { lowerBound, upperBound } from './paging';
import { PERMISSIONS, demand } from './permissions';
import { DeltaTokenCodec, type DeltaCursor, type DeltaResource } from './delta-token';
import { projectionKey } from './json-cache';
import { groupRound, userRound, type GroupRoundEntry, type Round, type UserRoundEntry } from './delta-rounds';

/**
 * GET /users/delta and /groups/delta (delta-query-overview, user-delta, group-delta).
 *
 * Contracts:
 * - The first request may carry $select, $filter (only `id eq '…'` ORed, ≤ 50 ids) or
 *   `$deltatoken=latest` (answers only a deltaLink: "sync from now"); $top, $orderby, $expand are
 *   refused. Later requests need no options: they are inside the tokens.
 * - A round is a chain of pages linked by `@odata.nextLink` (`$skiptoken`) ending with
 *   `@odata.deltaLink` (`$deltatoken`). Pages may be short or empty. The initial round lists every
 *   object; later rounds list what changed since the previous deltaLink (see delta-rounds.ts).
 * - Groups carry `members@delta` (unless $select omits `members`): typed `{@odata.type, id}`
 *   entries, removals with `@removed: {reason: "deleted"}`. A group whose entries exceed what is
 *   left of the page's member budget is split: the same group appears on the next page(s) with
 *   the next slice. Merge them; assume no order.
 * - Replays: with `replays` on, every continuation page starts by re-sending the last object of the
 *   previous page (users whole; groups without members@delta). Changes made while a round is being
 *   paged are reported again in the next round.
 * - `Prefer: return=minimal`: updated (not created) objects carry only id and changed properties.
 * - 410 Gone + `Location` (the initial delta URL with the same options) when the token is older
 *   than `tokenLifetimeMs` (Graph: 7 days for directory objects), when tokens were invalidated, or
 *   once after `faults.settings.forceResync` is set (the flag is consumed and every earlier token
 *   becomes invalid). A token that is not ours is a 400.
 */
export interface DeltaSettings {
  /** Objects (users or groups) per page. */
  readonly objectsPerPage: number;
  /** members@delta entries per page over all its groups. */
  readonly memberEntriesPerPage: number;
  readonly replays: boolean;
  readonly tokenLifetimeMs: number;
}

export const DEFAULT_DELTA_SETTINGS: DeltaSettings = {
  objectsPerPage: 100,
  memberEntriesPerPage: 500,
  replays: true,
  tokenLifetimeMs: 7 * 86_400_000,
};

const MAX_DELTA_IDS = 50;
const ROUND_CACHE = 32;

interface PageResult {
  readonly values: string[];
  /** Cursor of the next page, or null when the round is over. */
  readonly next: DeltaCursor | null;
}

export class DeltaService {
  private generation = 0;
  private readonly codec = new DeltaTokenCodec();
  private readonly rounds = new Map<string, Round<UserRoundEntry> | Round<GroupRoundEntry>>();

  constructor(
    private readonly env: GraphEnv,
    private readonly settings: DeltaSettings,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Every delta and skip token issued so far answers 410 from now on. */
  invalidateAll(): void {
    this.generation++;
  }

  handle(call: GraphCall, resource: DeltaResource): Reply {
    demand(call.granted, resource === 'users' ? PERMISSIONS.readUsers : PERMISSIONS.readGroups);
    if (this.env.faults.settings.forceResync) {
      this.invalidateAll();
      this.env.faults.update({ forceResync: false });
    }
    const skip = call.query.get('$skiptoken');
    const delta = call.query.get('$deltatoken');
    let cursor: DeltaCursor;
    if (skip !== undefined || (delta !== undefined && delta !== 'latest')) {
      const decoded = this.codec.decode((skip ?? delta) as string);
      if (decoded === null || decoded.r !== resource)
        throw graphErrors.badRequest('The delta or skip token is not valid.');
      if (decoded.gen < this.generation || this.now() - decoded.iat > this.settings.tokenLifetimeMs)
        throw this.gone(decoded);
      cursor =
        skip !== undefined
          ? decoded
          : { ...decoded, full: false, to: this.env.state.latestSeq, after: null, inObj: null, afterMember: null };
    } else {
      cursor = this.initialCursor(call, resource);
      if (delta === 'latest')
        return this.reply(resource, [], { ...cursor, full: false, from: this.env.state.latestSeq }, true);
    }
    const minimal = /return=minimal/i.test(call.headers['prefer'] ?? '') && !cursor.full;
    const page = resource === 'users' ? this.usersPage(cursor, minimal) : this.groupsPage(cursor, minimal);
    if (page.next !== null) return this.reply(resource, page.values, page.next, false, minimal);
    return this.reply(
      resource,
      page.values,
      { ...cursor, full: false, from: cursor.to, to: -1, after: null, inObj: null, afterMember: null },
      true,
      minimal,
    );
  }

  private initialCursor(call: GraphCall, resource: DeltaResource): DeltaCursor {
    for (const option of call.query.options()) {
      if (!['$select', '$filter', '$deltatoken'].includes(option)) {
        throw graphErrors.unsupportedQuery(`Query option '${option}' is not supported on delta queries.`);
      }
    }
    const schema = resource === 'users' ? userSchema : this.env.groupSchema;
    const sel = parseSelect(
      call.query.get('$select'),
      [schema as EntitySchema<never>],
      resource === 'users' ? ['manager'] : ['members'],
    );
    const filter = call.query.get('$filter');
    let ids: string[] | null = null;
    if (filter !== undefined) {
      ids = idsOnly(parseFilter(filter));
      if (ids === null)
        throw graphErrors.unsupportedQuery(
          "Delta queries support only $filter by id: \"id eq '…'\" clauses joined with 'or'.",
        );
      if (ids.length > MAX_DELTA_IDS)
        throw graphErrors.unsupportedQuery(`Too many ids in the filter: at most ${MAX_DELTA_IDS} are allowed.`);
    }
    return {
      v: 1,
      r: resource,
      sel,
      ids,
      gen: this.generation,
      iat: this.now(),
      full: true,
      from: 0,
      to: this.env.state.latestSeq,
      after: null,
      inObj: null,
      afterMember: null,
    };
  }

  private reply(
    resource: DeltaResource,
    values: string[],
    cursor: DeltaCursor,
    isDeltaLink: boolean,
    minimal = false,
  ): Reply {
    const token = this.codec.encode({ ...cursor, gen: this.generation, iat: this.now() });
    const link = `${this.env.baseUrl}/v1.0/${resource}/delta?${isDeltaLink ? '$deltatoken' : '$skiptoken'}=${token}`;
    const body = collectionBody(
      metadataContext(this.env, resource),
      values,
      isDeltaLink ? { deltaLink: link } : { nextLink: link },
    );
    return jsonReply(body, 200, minimal ? { 'Preference-Applied': 'return=minimal' } : {});
  }

  private gone(cursor: DeltaCursor): GraphError {
    const params: string[] = [];
    if (cursor.sel !== null) params.push(`$select=${cursor.sel.join(',')}`);
    if (cursor.ids !== null)
      params.push(`$filter=${encodeURIComponent(cursor.ids.map((id) => `id eq '${id}'`).join(' or '))}`);
    const location = `${this.env.baseUrl}/v1.0/${cursor.r}/delta${params.length > 0 ? `?${params.join('&')}` : ''}`;
    return new GraphError(
      410,
      'syncStateNotFound',
      'The sync state is no longer valid (expired or reset). Replace any local data with the results of a new initial delta query from the Location header.',
      { Location: location },
    );
  }

  /** Start index in `ids` for a page after `after`, re-including `after` itself when replaying. */
  private startIndex(ids: readonly string[], after: string | null, replay: boolean): number {
    if (after === null) return 0;
    return replay && this.settings.replays && this.settings.objectsPerPage > 1
      ? lowerBound(ids, after)
      : upperBound(ids, after);
  }

  private cachedRound<E>(key: string, compute: () => Round<E>): Round<E> {
    const hit = this.rounds.get(key) as Round<E> | undefined;
    if (hit) return hit;
    const round = compute();
    this.rounds.set(key, round as Round<UserRoundEntry> | Round<GroupRoundEntry>);
    if (this.rounds.size > ROUND_CACHE) this.rounds.delete(this.rounds.keys().next().value as string);
    return round;
  }

  private roundKey(c: DeltaCursor): string {
    return `${c.r}|${c.from}|${c.to}|${JSON.stringify(c.sel)}|${JSON.stringify(c.ids)}`;
  }

  // ---- users ---------------------------------------------------------------------------------

  private usersPage(c: DeltaCursor, minimal: boolean): PageResult {
    const { state } = this.env;
    const onlyIds = c.ids === null ? null : new Set(c.ids);
    const round = c.full
      ? null
      : this.cachedRound(this.roundKey(c), () => userRound(state, c.from, c.to, c.sel, onlyIds));
    const ids = round
      ? round.ids
      : onlyIds
        ? [...onlyIds].filter((id) => state.users.has(id)).sort()
        : this.env.index.sortedUserIds();
    const values: string[] = [];
    let i = this.startIndex(ids, c.after, true);
    let last: string | null = c.after;
    for (; i < ids.length && values.length < this.settings.objectsPerPage; i++) {
      const id = ids[i] as string;
      const rendered = this.renderUser(id, round?.entries.get(id) ?? null, c.sel, minimal);
      if (rendered !== null) values.push(rendered);
      last = id;
    }
    return { values, next: i < ids.length ? { ...c, after: last } : null };
  }

  private renderUser(
    id: string,
    entry: UserRoundEntry | null,
    sel: readonly string[] | null,
    minimal: boolean,
  ): string | null {
    const user = this.env.state.users.get(id);
    if (!user) return entry ? JSON.stringify({ id, '@removed': { reason: entry.removed ?? 'changed' } }) : null;
    if (entry && minimal && !entry.created) {
      const changed = [...entry.changed].filter((p) => sel === null || sel.includes(p));
      return JSON.stringify({ ...project(userSchema, user, ['id', ...changed], false) });
    }
    const select = sel === null ? null : sel.filter((p) => p !== 'manager');
    return this.env.json.get(
      projectionKey('user', false, select === null ? null : ['id', ...select.filter((p) => p !== 'id')]),
      id,
      () => JSON.stringify(withId(id, project(userSchema, user, select, false))),
    );
  }

  // ---- groups --------------------------------------------------------------------------------

  private groupsPage(c: DeltaCursor, minimal: boolean): PageResult {
    const { state, index } = this.env;
    const trackMembers = c.sel === null || c.sel.includes('members');
    const onlyIds = c.ids === null ? null : new Set(c.ids);
    const round = c.full
      ? null
      : this.cachedRound(this.roundKey(c), () => groupRound(state, index, c.from, c.to, c.sel, onlyIds));
    const ids = round
      ? round.ids
      : onlyIds
        ? [...onlyIds].filter((id) => state.groups.has(id)).sort()
        : index.sortedGroupIds();
    const entryOf = (id: string): GroupRoundEntry | null => {
      if (round) return round.entries.get(id) ?? null;
      const g = state.groups.get(id);
      if (!g) return null;
      return {
        id,
        removed: null,
        created: true,
        changed: new Set(),
        memberIds: trackMembers ? index.memberIds(g) : [],
        removedMembers: new Map(),
      };
    };
    const values: string[] = [];
    let budget = this.settings.memberEntriesPerPage;
    let after = c.after;
    let objects = 0;

    if (c.inObj !== null) {
      // Continue a group split on the previous page.
      const entry = entryOf(c.inObj);
      if (entry && entry.removed === null) {
        const start = c.afterMember === null ? 0 : upperBound(entry.memberIds, c.afterMember);
        const take = Math.min(budget, entry.memberIds.length - start);
        values.push(this.renderGroup(entry, entry.memberIds.slice(start, start + take), c.sel, minimal));
        objects++;
        budget -= take;
        if (start + take < entry.memberIds.length) {
          return { values, next: { ...c, inObj: entry.id, afterMember: entry.memberIds[start + take - 1] as string } };
        }
      }
      after = c.inObj;
    } else if (after !== null && this.settings.replays && this.settings.objectsPerPage > 1) {
      const replay = entryOf(after);
      if (replay && replay.removed === null) {
        values.push(this.renderGroup(replay, [], c.sel, minimal));
        objects++;
      }
    }

    let i = after === null ? 0 : upperBound(ids, after);
    for (; i < ids.length && objects < this.settings.objectsPerPage; i++) {
      const id = ids[i] as string;
      const entry = entryOf(id);
      if (!entry) {
        after = id;
        continue;
      }
      const members = entry.memberIds;
      if (members.length > 0 && budget === 0) break;
      const take = Math.min(budget, members.length);
      values.push(this.renderGroup(entry, take === members.length ? members : members.slice(0, take), c.sel, minimal));
      objects++;
      budget -= take;
      if (take < members.length) {
        return { values, next: { ...c, after, inObj: id, afterMember: members[take - 1] as string } };
      }
      after = id;
    }
    return { values, next: i < ids.length ? { ...c, after, inObj: null, afterMember: null } : null };
  }

  private renderGroup(
    entry: GroupRoundEntry,
    members: readonly string[],
    sel: readonly string[] | null,
    minimal: boolean,
  ): string {
    if (entry.removed !== null) return JSON.stringify({ id: entry.id, '@removed': { reason: entry.removed } });
    const group = this.env.state.groups.get(entry.id);
    let json: string;
    if (!group) {
      json = JSON.stringify({ id: entry.id });
    } else if (minimal && !entry.created) {
      const changed = [...entry.changed].filter((p) => sel === null || sel.includes(p));
      json = JSON.stringify(project(this.env.groupSchema, group, ['id', ...changed], false));
    } else {
      const select = sel === null ? null : ['id', ...sel.filter((p) => p !== 'members' && p !== 'id')];
      json = this.env.json.get(projectionKey('group', false, select), entry.id, () =>
        JSON.stringify(withId(entry.id, project(this.env.groupSchema, group, select, false))),
      );
    }
    if (members.length === 0) return json;
    const parts: string[] = [];
    for (const id of members) {
      const removedKind = entry.removedMembers.get(id);
      if (removedKind !== undefined) {
        parts.push(
          `{"@odata.type":"#microsoft.graph.${removedKind}","id":${JSON.stringify(id)},"@removed":{"reason":"deleted"}}`,
        );
      } else {
        parts.push(
          `{"@odata.type":"#microsoft.graph.${this.env.index.memberType(id) ?? 'user'}","id":${JSON.stringify(id)}}`,
        );
      }
    }
    return `${json.slice(0, -1)},"members@delta":[${parts.join(',')}]}`;
  }
}

function withId(id: string, body: Record<string, unknown>): Record<string, unknown> {
  return 'id' in body ? body : { id, ...body };
}
