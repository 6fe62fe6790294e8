import type { ApiContext, Reply } from './api';
import { cachedList, checkAccount, listBody } from './api';
import { badRequest, GoogleFailure, invalidInput, resourceNotFound } from './errors';
import { customProjection, serializedUser } from './mapping';
import { listScope, pageOf } from './paging';
import { boolParam, enumParam, intParam, stringParam } from './params';
import { compileUserQuery } from './query';
import type { UserRecord } from './records';

/**
 * users.list and users.get: GET /admin/directory/v1/users[/{userKey}].
 * Limits encoded: maxResults 1..500, default 100 (discovery doc); orderBy email|familyName|givenName;
 * sortOrder ASCENDING|DESCENDING; projection basic|custom|full (custom needs customFieldMask);
 * viewType admin_view|domain_public (accepted; both serve the admin view); showDeleted lists only
 * users deleted since start; `fields` is ignored (full objects are always sent).
 */

const ORDER_BY = ['email', 'familyName', 'givenName'] as const;
const SORT_ORDER = ['ASCENDING', 'DESCENDING'] as const;
const PROJECTION = ['basic', 'custom', 'full'] as const;
const VIEW_TYPE = ['admin_view', 'domain_public'] as const;

type Projection = (typeof PROJECTION)[number];

function projectionOf(q: URLSearchParams): { projection: Projection; schemas: string[] } {
  const projection = enumParam(q, 'projection', 'projection', PROJECTION, 'basic');
  enumParam(q, 'viewType', 'view_type', VIEW_TYPE, 'admin_view');
  if (projection !== 'custom') return { projection, schemas: [] };
  const mask = stringParam(q, 'customFieldMask');
  if (mask === null) throw new GoogleFailure(invalidInput('customFieldMask'));
  return {
    projection,
    schemas: mask
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  };
}

function render(ctx: ApiContext, user: UserRecord, projection: Projection, schemas: readonly string[]): string {
  if (projection === 'custom') return customProjection(user, ctx.directory, schemas);
  const s = serializedUser(user, ctx.directory);
  return projection === 'full' ? s.full : s.basic;
}

export function listUsers(ctx: ApiContext, q: URLSearchParams): Reply {
  const dir = ctx.directory;
  const customer = stringParam(q, 'customer');
  const domain = stringParam(q, 'domain');
  if (customer === null && domain === null) throw new GoogleFailure(badRequest());
  checkAccount(dir, customer, domain);
  const max = intParam(q, 'maxResults', 'max_results', 1, 500, 100);
  const orderBy = enumParam(q, 'orderBy', 'order_by', ORDER_BY, 'email');
  const descending = enumParam(q, 'sortOrder', 'sort_order', SORT_ORDER, 'ASCENDING') === 'DESCENDING';
  const { projection, schemas } = projectionOf(q);
  const showDeleted = boolParam(q, 'showDeleted', 'show_deleted');
  const query = stringParam(q, 'query');

  let list = showDeleted ? dir.deletedUserList() : dir.userList(orderBy, descending);
  // `domain` lists the users of that domain; every user of an emulated account is in it, except
  // users created later with another domain, hence the filter (built once, cached).
  if (query !== null || domain !== null) {
    const predicate = query === null ? () => true : compileUserQuery(query, (id) => dir.isAdmin(id));
    if (predicate === null) throw new GoogleFailure(invalidInput(query ?? ''));
    const suffix = domain === null ? null : `@${domain.toLowerCase()}`;
    const base = list;
    list = cachedList(ctx.userLists, `${showDeleted}|${orderBy}|${descending}|${suffix}|${query}`, dir.userStamp, () =>
      base.filter((r) => (suffix === null || r.email.endsWith(suffix)) && predicate(r)),
    );
  }

  const scope = listScope([
    'users',
    showDeleted,
    orderBy,
    descending,
    query,
    domain === null ? null : domain.toLowerCase(),
  ]);
  const page = pageOf(list, stringParam(q, 'pageToken'), max, scope, ctx.now());
  if (page === null) throw new GoogleFailure(invalidInput('pageToken'));
  const items = page.items.map((u) => render(ctx, u, projection, schemas));
  const etagSeed = `${scope}|${page.items.map((u) => serializedUser(u, dir).etag).join('')}`;
  return { status: 200, body: listBody('admin#directory#users', 'users', items, etagSeed, page.nextPageToken) };
}

export function getUser(ctx: ApiContext, userKey: string, q: URLSearchParams): Reply {
  const { projection, schemas } = projectionOf(q);
  const user = ctx.directory.findUser(userKey);
  if (user === undefined) throw new GoogleFailure(resourceNotFound('userKey'));
  return { status: 200, body: render(ctx, user, projection, schemas) };
}
