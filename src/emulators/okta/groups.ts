/**
 * `GET /api/v1/groups`, `GET /api/v1/groups/{id}`, `GET /api/v1/groups/{id}/users`.
 *
 * List semantics (spec `listGroups`, `listGroupUsers`):
 *  - `limit` up to 10000 (the spec maximum; also the default here), `after` = last id.
 *  - `filter`: `id`, `type` with `eq`; `lastUpdated`, `lastMembershipUpdated` with
 *    `eq gt ge lt le`; values case-sensitive. `search`: also `created` and `profile.*`
 *    (`eq sw co pr`), values case-insensitive.
 *  - `q`: name startsWith (case-insensitive), default limit 300, not pageable.
 *  - `expand=stats` adds `_embedded.stats.usersCount`; `expand=app` adds `_embedded.app` to APP_GROUPs.
 *  - Order: by id; with a lower bound on `lastMembershipUpdated` / `lastUpdated`, by that
 *    timestamp then id. `sortBy` / `sortOrder` are ignored.
 *  - Members: `limit` default and maximum 1000 ("for historical reasons", spec), ordered by id,
 *    every status included; Everyone lists every user.
 */
import type { ApiRequest, OktaContext } from './context';
import { oktaErrors } from './errors';
import {
  DATE_OPS,
  compile,
  dateRange,
  equalityKey,
  ops,
  parseExpression,
  type AttributeSpec,
  type Dialect,
  type Value,
} from './filters';
import { groupCollectionJson, groupJson, userCollectionJson, type GroupRecord, type GroupType } from './mapping';
import { intParam, sendJson, sendJsonArray } from './http';
import { pageLinks } from './links';
import { collectPage, singleton, startPosition, type OrderedIndex } from './listing';

/** Spec maximum of List groups `limit`. */
export const GROUPS_MAX_LIMIT = 10_000;
/** Spec default of a `q` query. */
const Q_DEFAULT_LIMIT = 300;
/** Spec default and maximum of List group members `limit`. */
export const GROUP_USERS_MAX_LIMIT = 1000;

const GROUP_DATES = new Set(['lastUpdated', 'lastMembershipUpdated']);

const FILTER: Dialect = {
  parameter: 'filter',
  caseInsensitive: false,
  attribute(path: string): AttributeSpec | undefined {
    if (GROUP_DATES.has(path)) return { type: 'date', ops: DATE_OPS };
    if (path === 'id' || path === 'type') return { type: 'string', ops: ops('eq') };
    return undefined;
  },
};

const SEARCH: Dialect = {
  parameter: 'search',
  caseInsensitive: true,
  attribute(path: string): AttributeSpec | undefined {
    if (GROUP_DATES.has(path) || path === 'created')
      return { type: 'date', ops: ops('eq', 'gt', 'ge', 'lt', 'le', 'pr') };
    if (path === 'id' || path === 'type') return { type: 'string', ops: ops('eq', 'sw', 'pr') };
    if (/^profile\.[A-Za-z_][A-Za-z0-9_]*$/.test(path)) return { type: 'string', ops: ops('eq', 'sw', 'co', 'pr') };
    return undefined;
  },
};

function readGroup(g: GroupRecord, attr: string): Value {
  switch (attr) {
    case 'id':
      return g.id;
    case 'type':
      return g.type;
    case 'created':
      return g.created;
    case 'lastUpdated':
      return g.lastUpdated;
    case 'lastMembershipUpdated':
      return g.lastMembershipUpdated;
    default: {
      const value: unknown = (g.profile as unknown as Record<string, unknown>)[attr.slice('profile.'.length)];
      return typeof value === 'string' ? value : null;
    }
  }
}

function sendGroups(ctx: OktaContext, r: ApiRequest, groups: readonly GroupRecord[], links: string[]): void {
  const expand = new Set((r.query.get('expand') ?? '').split(',').map((s) => s.trim()));
  const plain = !expand.has('stats') && !expand.has('app');
  const parts = groups.map((g) =>
    plain
      ? groupCollectionJson(g, ctx.org)
      : Buffer.from(
          JSON.stringify(
            groupJson(g, ctx.org, {
              ...(expand.has('stats') ? { usersCount: ctx.directory.usersCount(g) } : {}),
              app: expand.has('app'),
            }),
          ),
        ),
  );
  sendJsonArray(r.res, parts, { Link: links });
}

export function listGroups(ctx: OktaContext, r: ApiRequest): void {
  const { directory } = ctx;
  const search = r.query.get('search');
  const filter = r.query.get('filter');
  const q = r.query.get('q');

  if (search === null && filter === null && q !== null) {
    const limit = intParam(r.query, 'limit', Q_DEFAULT_LIMIT, 1, GROUPS_MAX_LIMIT);
    const prefix = q.toLowerCase();
    const page = collectPage(
      { list: directory.groupIndexes.all },
      0,
      (g) => g.profile.name.toLowerCase().startsWith(prefix),
      limit,
    );
    sendGroups(ctx, r, page.items, pageLinks(ctx.org.orgUrl, r.path, r.query, null, limit));
    return;
  }

  const limit = intParam(r.query, 'limit', GROUPS_MAX_LIMIT, 1, GROUPS_MAX_LIMIT);
  const text = search ?? filter;
  let index: OrderedIndex<GroupRecord> = { list: directory.groupIndexes.all };
  let predicate: (g: GroupRecord) => boolean = () => true;
  let from = -Infinity;
  let to = Infinity;
  if (text !== null) {
    const dialect = search !== null ? SEARCH : FILTER;
    const expr = parseExpression(text, dialect.parameter);
    predicate = compile(expr, dialect, readGroup);
    const membership = dateRange(expr, 'lastMembershipUpdated');
    const updated = dateRange(expr, 'lastUpdated');
    const type = equalityKey(expr, 'type');
    const idKey = equalityKey(expr, 'id');
    const pinned = idKey === null ? undefined : directory.groups.get(idKey);
    if (pinned !== undefined) {
      index = singleton(pinned);
    } else if (membership !== null) {
      index = { list: directory.groupIndexes.byLastMembershipUpdated, key: (g) => g.lastMembershipUpdated };
      ({ from, to } = membership);
    } else if (updated !== null) {
      index = { list: directory.groupIndexes.byLastUpdated, key: (g) => g.lastUpdated };
      ({ from, to } = updated);
    } else if (type !== null) {
      const list = directory.groupIndexes.byType.get(
        (dialect.caseInsensitive ? type.toUpperCase() : type) as GroupType,
      );
      if (list === undefined) {
        sendGroups(ctx, r, [], pageLinks(ctx.org.orgUrl, r.path, r.query, null, limit));
        return;
      }
      index = { list };
    }
  }
  const page = collectPage(index, startPosition(index, r.query.get('after'), from), predicate, limit, to);
  sendGroups(ctx, r, page.items, pageLinks(ctx.org.orgUrl, r.path, r.query, page.next, limit));
}

function requireGroup(ctx: OktaContext, id: string): GroupRecord {
  const group = ctx.directory.groups.get(id);
  if (group === undefined) throw oktaErrors.notFound(id, 'UserGroup');
  return group;
}

export function getGroup(ctx: OktaContext, r: ApiRequest, id: string): void {
  const group = requireGroup(ctx, id);
  const expand = new Set((r.query.get('expand') ?? '').split(','));
  sendJson(
    r.res,
    200,
    groupJson(group, ctx.org, {
      ...(expand.has('stats') ? { usersCount: ctx.directory.usersCount(group) } : {}),
      app: expand.has('app'),
    }),
  );
}

export function listGroupUsers(ctx: OktaContext, r: ApiRequest, id: string): void {
  const group = requireGroup(ctx, id);
  const limit = intParam(r.query, 'limit', GROUP_USERS_MAX_LIMIT, 1, GROUP_USERS_MAX_LIMIT);
  const index = { list: ctx.directory.groupMembers(group) };
  const page = collectPage(index, startPosition(index, r.query.get('after')), () => true, limit);
  sendJsonArray(
    r.res,
    page.items.map((u) => userCollectionJson(u, ctx.org)),
    { Link: pageLinks(ctx.org.orgUrl, r.path, r.query, page.next, limit) },
  );
}
