import { cachedList, listBody, type ApiContext, type Reply } from './api';
import { GoogleFailure, invalidInput, resourceNotFound } from './errors';
import { mapMember, memberJson, memberRole, type MemberRole } from './mapping';
import { listScope, pageOf } from './paging';
import { boolParam, intParam, stringParam } from './params';
import type { GroupRecord, MemberEntry } from './records';

/**
 * members.list, members.get and members.hasMember:
 * (GET /admin/directory/v1/groups/{groupKey}/members[/{memberKey}], …/hasMember/{memberKey}).
 * Limits encoded: maxResults 1..200, default 200 (Directory API reference); roles is a
 * comma-separated subset of OWNER, MANAGER, MEMBER; includeDerivedMembership flattens nested
 * groups to the people in them (see GoogleDirectory.derivedMembers). Member types: USER (domain
 * users and external addresses), GROUP, CUSTOMER (everyone in the domain; id = customer id, no email).
 */

const ROLES: readonly MemberRole[] = ['OWNER', 'MANAGER', 'MEMBER'];

function requireGroup(ctx: ApiContext, groupKey: string): GroupRecord {
  const group = ctx.directory.findGroup(groupKey);
  if (group === undefined) throw new GoogleFailure(resourceNotFound('groupKey'));
  return group;
}

function parseRoles(raw: string | null): MemberRole[] | null {
  if (raw === null) return null;
  const roles: MemberRole[] = [];
  for (const part of raw.split(',')) {
    const role = ROLES.find((r) => r === part.trim().toUpperCase());
    if (role === undefined) throw new GoogleFailure(invalidInput('roles'));
    if (!roles.includes(role)) roles.push(role);
  }
  return roles.length === ROLES.length ? null : roles;
}

export function listMembers(ctx: ApiContext, groupKey: string, q: URLSearchParams): Reply {
  const dir = ctx.directory;
  const group = requireGroup(ctx, groupKey);
  const max = intParam(q, 'maxResults', 'max_results', 1, 200, 200);
  const derived = boolParam(q, 'includeDerivedMembership', 'include_derived_membership');
  const roles = parseRoles(stringParam(q, 'roles'));
  let list = derived ? dir.derivedMembers(group) : dir.directMembers(group);
  if (roles !== null) {
    const base = list;
    const key = `${group.tenantId}|${derived}|${roles.join(',')}`;
    list = cachedList(ctx.memberLists, key, dir.memberStamp, () =>
      base.filter((m) => roles.includes(memberRole(group, m, !derived || dir.isDirectMember(group, m)))),
    );
  }
  const scope = listScope(['members', group.googleId, derived, roles === null ? null : roles.join(',')]);
  const page = pageOf(list, stringParam(q, 'pageToken'), max, scope, ctx.now());
  if (page === null) throw new GoogleFailure(invalidInput('pageToken'));
  const items = page.items.map((m) => memberJson(group, m, !derived || dir.isDirectMember(group, m)));
  const etagSeed = `${scope}|${group.version}|${page.items.length > 0 ? (page.items[0] as MemberEntry).memberKey : ''}`;
  return { status: 200, body: listBody('admin#directory#members', 'members', items, etagSeed, page.nextPageToken) };
}

/** members.get: direct members only; anything else is 404 "Resource Not Found: memberKey". */
export function getMember(ctx: ApiContext, groupKey: string, memberKey: string): Reply {
  const group = requireGroup(ctx, groupKey);
  const member = ctx.directory.findMember(memberKey);
  if (member === undefined || !ctx.directory.isDirectMember(group, member))
    throw new GoogleFailure(resourceNotFound('memberKey'));
  return { status: 200, body: JSON.stringify(mapMember(group, member, true)) };
}

/** members.hasMember: direct or nested membership, `{ isMember }`. */
export function hasMember(ctx: ApiContext, groupKey: string, memberKey: string): Reply {
  const group = requireGroup(ctx, groupKey);
  const member = ctx.directory.findMember(memberKey);
  if (member === undefined) throw new GoogleFailure(resourceNotFound('memberKey'));
  return { status: 200, body: JSON.stringify({ isMember: ctx.directory.isMemberOf(group, member, true) }) };
}
