/**
 * `GET /api/v1/users`, `GET /api/v1/users/{idOrLogin}`, `GET /api/v1/users/{id}/groups`.
 *
 * List semantics (spec `listUsers`, developer.okta.com/docs/api/openapi/okta-management/management/tag/User):
 *  - `limit` default 200, capped at 200; `after` is the last id of the previous page.
 *  - No `filter`/`search`: DEPROVISIONED users are omitted. `filter` and `search` include them.
 *  - `filter`: `status`, `id`, `profile.login|email|firstName|lastName` with `eq`; `lastUpdated`
 *    with `eq gt ge lt le`; `and`/`or`; values case-sensitive.
 *  - `search`: any user property or `profile.*`; `eq sw pr` (`co` on firstName, lastName, email,
 *    login), `gt ge lt le` on timestamps; values case-insensitive. Real search is eventually
 *    consistent; here it is immediate.
 *  - `q`: startsWith on firstName, lastName or email, DEPROVISIONED omitted, `limit` default 10,
 *    no paging (a `self` link only).
 *  - Order: by id; with a lower bound on `lastUpdated`, by lastUpdated then id (the index that
 *    makes incremental syncs cheap). `id eq` / `profile.login eq` look the user up directly. `sortBy`, `sortOrder`, `fields` and `expand` are ignored.
 *  - `Content-Type: application/json; okta-response=omitCredentials` omits `credentials`.
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
import { groupCollectionJson, userCollectionJson, userJson, type UserRecord, type UserStatus } from './mapping';
import { intParam, sendJson, sendJsonArray } from './http';
import { pageLinks } from './links';
import { collectPage, singleton, startPosition, type OrderedIndex } from './listing';

/** Okta's maximum (and default) page size of List users. */
export const USERS_MAX_LIMIT = 200;
/** Default `limit` of a `q` query. */
const Q_DEFAULT_LIMIT = 10;

const DATE_ATTRIBUTES = new Set([
  'created',
  'activated',
  'statusChanged',
  'lastUpdated',
  'lastLogin',
  'passwordChanged',
]);
const CONTAINS_ATTRIBUTES = new Set(['profile.firstName', 'profile.lastName', 'profile.email', 'profile.login']);

const FILTER: Dialect = {
  parameter: 'filter',
  caseInsensitive: false,
  attribute(path: string): AttributeSpec | undefined {
    if (path === 'lastUpdated') return { type: 'date', ops: DATE_OPS };
    if (path === 'status' || path === 'id' || CONTAINS_ATTRIBUTES.has(path)) return { type: 'string', ops: ops('eq') };
    return undefined;
  },
};

const SEARCH: Dialect = {
  parameter: 'search',
  caseInsensitive: true,
  attribute(path: string): AttributeSpec | undefined {
    if (DATE_ATTRIBUTES.has(path)) return { type: 'date', ops: ops('eq', 'gt', 'ge', 'lt', 'le', 'pr') };
    if (path === 'status' || path === 'id' || path === 'type.id') return { type: 'string', ops: ops('eq', 'sw', 'pr') };
    if (CONTAINS_ATTRIBUTES.has(path)) return { type: 'string', ops: ops('eq', 'sw', 'co', 'pr') };
    if (/^profile\.[A-Za-z_][A-Za-z0-9_]*$/.test(path)) return { type: 'string', ops: ops('eq', 'sw', 'pr') };
    return undefined;
  },
};

function readUser(typeId: string): (r: UserRecord, attr: string) => Value {
  return (r, attr) => {
    switch (attr) {
      case 'status':
        return r.status;
      case 'id':
        return r.id;
      case 'type.id':
        return typeId;
      case 'created':
        return r.created;
      case 'activated':
        return r.activated;
      case 'statusChanged':
        return r.statusChanged;
      case 'lastUpdated':
        return r.lastUpdated;
      case 'lastLogin':
        return r.lastLogin;
      case 'passwordChanged':
        return r.passwordChanged;
      default: {
        const value: unknown = (r.profile as unknown as Record<string, unknown>)[attr.slice('profile.'.length)];
        return typeof value === 'string' ? value : null;
      }
    }
  };
}

function omitsCredentials(r: ApiRequest): boolean {
  return /okta-response=[^;]*omitCredentials/.test(r.req.headers['content-type'] ?? '');
}

function sendUsers(ctx: OktaContext, r: ApiRequest, users: readonly UserRecord[], links: string[]): void {
  const omit = omitsCredentials(r);
  const parts = users.map((u) =>
    omit ? Buffer.from(JSON.stringify(userJson(u, ctx.org, false, true))) : userCollectionJson(u, ctx.org),
  );
  sendJsonArray(r.res, parts, { Link: links });
}

export function listUsers(ctx: OktaContext, r: ApiRequest): void {
  const { directory } = ctx;
  const search = r.query.get('search');
  const filter = r.query.get('filter');
  const q = r.query.get('q');
  const after = r.query.get('after');

  if (search === null && filter === null && q !== null) {
    const limit = intParam(r.query, 'limit', Q_DEFAULT_LIMIT, 1, USERS_MAX_LIMIT);
    const prefix = q.toLowerCase();
    const starts = (v: string | undefined): boolean => v !== undefined && v.toLowerCase().startsWith(prefix);
    const page = collectPage(
      { list: directory.userIndexes.all },
      0,
      (u) =>
        u.status !== 'DEPROVISIONED' &&
        (starts(u.profile.firstName) || starts(u.profile.lastName) || starts(u.profile.email)),
      limit,
    );
    sendUsers(ctx, r, page.items, pageLinks(ctx.org.orgUrl, r.path, r.query, null, limit));
    return;
  }

  const limit = intParam(r.query, 'limit', USERS_MAX_LIMIT, 1, USERS_MAX_LIMIT);
  const text = search ?? filter;
  let index: OrderedIndex<UserRecord> = { list: directory.userIndexes.all };
  let predicate: (u: UserRecord) => boolean = (u) => u.status !== 'DEPROVISIONED';
  let from = -Infinity;
  let to = Infinity;
  if (text !== null) {
    const dialect = search !== null ? SEARCH : FILTER;
    const expr = parseExpression(text, dialect.parameter);
    predicate = compile(expr, dialect, readUser(directory.userTypeId));
    const range = dateRange(expr, 'lastUpdated');
    const status = equalityKey(expr, 'status');
    const idKey = equalityKey(expr, 'id');
    const loginKey = equalityKey(expr, 'profile.login');
    // A single candidate when the id or login is pinned (the predicate still decides).
    const pinned =
      idKey !== null ? directory.users.get(idKey) : loginKey !== null ? directory.userByLogin(loginKey) : undefined;
    if (pinned !== undefined) {
      index = singleton(pinned);
    } else if (range !== null) {
      index = { list: directory.userIndexes.byLastUpdated, key: (u) => u.lastUpdated };
      ({ from, to } = range);
    } else if (status !== null) {
      const list = directory.userIndexes.byStatus.get(
        (dialect.caseInsensitive ? status.toUpperCase() : status) as UserStatus,
      );
      if (list === undefined) {
        sendUsers(ctx, r, [], pageLinks(ctx.org.orgUrl, r.path, r.query, null, limit));
        return;
      }
      index = { list };
    }
  }
  const page = collectPage(index, startPosition(index, after, from), predicate, limit, to);
  sendUsers(ctx, r, page.items, pageLinks(ctx.org.orgUrl, r.path, r.query, page.next, limit));
}

function requireUser(ctx: OktaContext, idOrLogin: string): UserRecord {
  const user = ctx.directory.userByIdOrLogin(idOrLogin);
  if (user === undefined) throw oktaErrors.notFound(idOrLogin, 'User');
  return user;
}

export function getUser(ctx: OktaContext, r: ApiRequest, idOrLogin: string): void {
  sendJson(r.res, 200, userJson(requireUser(ctx, idOrLogin), ctx.org, true, omitsCredentials(r)));
}

/** All groups the user is a direct member of (Everyone included), ordered by id, unpaged. */
export function listUserGroups(ctx: OktaContext, r: ApiRequest, id: string): void {
  const user = requireUser(ctx, id);
  const groups = ctx.directory.groupsOfUser(user).map((g) => groupCollectionJson(g, ctx.org));
  sendJsonArray(r.res, groups, { Link: pageLinks(ctx.org.orgUrl, r.path, r.query, null, 0) });
}
