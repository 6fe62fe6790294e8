import { cachedList, checkAccount, listBody, type ApiContext, type Reply } from './api';
import { badRequest, GoogleFailure, invalidInput, resourceNotFound } from './errors';
import { serializedGroup } from './mapping';
import { listScope, pageOf, SortedList } from './paging';
import { enumParam, intParam, stringParam } from './params';
import { compileGroupQuery } from './query';
import type { GroupRecord } from './records';

/**
 * groups.list and groups.get (GET /admin/directory/v1/groups[/{groupKey}]).
 * Limits encoded: maxResults 1..200, default 200 (Directory API reference); one of customer,
 * domain or userKey is required; userKey (or query memberKey=) lists the groups a user, external
 * address or group is a direct member of (an unknown key gives an empty list); orderBy email;
 * sortOrder; query email:/name: (prefix with *).
 */

const ORDER_BY = ['email'] as const;
const SORT_ORDER = ['ASCENDING', 'DESCENDING'] as const;

export function listGroups(ctx: ApiContext, q: URLSearchParams): Reply {
  const dir = ctx.directory;
  const customer = stringParam(q, 'customer');
  const domain = stringParam(q, 'domain');
  const userKey = stringParam(q, 'userKey');
  if (customer === null && domain === null && userKey === null) throw new GoogleFailure(badRequest());
  checkAccount(dir, customer, domain);
  const max = intParam(q, 'maxResults', 'max_results', 1, 200, 200);
  enumParam(q, 'orderBy', 'order_by', ORDER_BY, 'email');
  const descending = enumParam(q, 'sortOrder', 'sort_order', SORT_ORDER, 'ASCENDING') === 'DESCENDING';
  const query = stringParam(q, 'query');
  const compiled = query === null ? null : compileGroupQuery(query);
  if (query !== null && compiled === null) throw new GoogleFailure(invalidInput(query));

  const memberKey = userKey ?? compiled?.memberKey ?? null;
  let list: SortedList<GroupRecord>;
  if (memberKey !== null) {
    const member = dir.findMember(memberKey);
    list =
      member === undefined || member.kind === 'customer'
        ? new SortedList<GroupRecord>([], () => '')
        : dir.parentGroupList(member.tenantId, descending);
  } else {
    list = dir.groupList(descending);
  }
  if (compiled !== null) {
    const base = list;
    list = cachedList(ctx.groupLists, `${descending}|${memberKey}|${query}`, dir.groupStamp, () =>
      base.filter(compiled.predicate),
    );
  }

  const scope = listScope(['groups', descending, memberKey, query]);
  const page = pageOf(list, stringParam(q, 'pageToken'), max, scope, ctx.now());
  if (page === null) throw new GoogleFailure(invalidInput('pageToken'));
  const items = page.items.map(serializedGroup);
  const etagSeed = `${scope}|${page.items.map((g) => `${g.googleId}.${g.version}`).join(',')}`;
  return { status: 200, body: listBody('admin#directory#groups', 'groups', items, etagSeed, page.nextPageToken) };
}

export function getGroup(ctx: ApiContext, groupKey: string): Reply {
  const group = ctx.directory.findGroup(groupKey);
  if (group === undefined) throw new GoogleFailure(resourceNotFound('groupKey'));
  return { status: 200, body: serializedGroup(group) };
}
