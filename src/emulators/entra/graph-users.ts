import type { LiveGroup, LiveUser } from '../core/tenant-state';
import { jsonReply, type GraphCall, type GraphEnv } from './context';
import { graphErrors } from './errors';
import type { FilterSpec } from './filter';
import type { Reply } from './http';
import { project, userSchema } from './mapping';
import {
  collectionBody,
  metadataContext,
  nextLink,
  parseSelect,
  parseTop,
  rejectUnsupported,
  parseCount,
} from './odata';
import { decodeSkipToken, encodeSkipToken, keysetPage } from './paging';
import { PERMISSIONS, demand } from './permissions';
import { countCollection, listCollection, type CollectionSource } from './listing';
import { projectionKey } from './json-cache';

/**
 * /users, /users/$count, /users/{id | userPrincipalName}, /users/{id}/memberOf
 * (learn.microsoft.com/graph/api/user-list, user-get, user-list-memberof).
 */

/** Filterable user properties; `advanced` ones need ConsistencyLevel: eventual + $count=true. */
export const USER_FILTERS: FilterSpec = {
  resource: 'User',
  standard: new Set([
    'id',
    'accountEnabled',
    'userType',
    'displayName',
    'givenName',
    'surname',
    'mail',
    'userPrincipalName',
    'mailNickname',
    'employeeId',
    'jobTitle',
    'proxyAddresses',
    'otherMails',
    'onPremisesSyncEnabled',
    'onPremisesImmutableId',
    'creationType',
    'externalUserState',
    'usageLocation',
    'identities',
  ]),
  advanced: new Set([
    'department',
    'onPremisesSamAccountName',
    'createdDateTime',
    'companyName',
    'employeeType',
    'onPremisesUserPrincipalName',
  ]),
};

export function userSource(env: GraphEnv): CollectionSource<LiveUser> {
  return {
    name: 'users',
    schema: userSchema,
    filters: USER_FILTERS,
    sortedIds: () => env.index.sortedUserIds(),
    get: (id) => env.state.users.get(id),
  };
}

export function listUsers(call: GraphCall, env: GraphEnv): Reply {
  demand(call.granted, PERMISSIONS.readUsers);
  return listCollection(call, env, userSource(env));
}

export function countUsers(call: GraphCall, env: GraphEnv): Reply {
  demand(call.granted, PERMISSIONS.readUsers);
  return countCollection(call, env, userSource(env));
}

/** A user by object id or by userPrincipalName (case-insensitive), as Graph accepts both. */
export function findUser(env: GraphEnv, key: string): LiveUser | undefined {
  return (
    env.state.users.get(key) ??
    (key.includes('@') ? env.state.users.get(env.index.userIdByLogin(key) ?? '') : undefined)
  );
}

export function getUser(call: GraphCall, env: GraphEnv, key: string): Reply {
  demand(call.granted, PERMISSIONS.readUsers);
  rejectUnsupported(call, ['$select']);
  const select = parseSelect(call.query.get('$select'), [userSchema]);
  const user = findUser(env, key);
  if (!user) throw graphErrors.notFound(key);
  const body = { '@odata.context': metadataContext(env, 'users/$entity'), ...project(userSchema, user, select, false) };
  return jsonReply(JSON.stringify(body));
}

/** Direct group memberships of a user, `#microsoft.graph.group` typed, id order, paged. */
export function userMemberOf(call: GraphCall, env: GraphEnv, key: string): Reply {
  demand(call.granted, PERMISSIONS.readUsers);
  demand(call.granted, PERMISSIONS.readMembers);
  rejectUnsupported(call, ['$select', '$top', '$skiptoken', '$count']);
  const user = findUser(env, key);
  if (!user) throw graphErrors.notFound(key);
  const count = parseCount(call);
  const select = parseSelect(call.query.get('$select'), [env.groupSchema]);
  const top = parseTop(call.query.get('$top'));
  const token = call.query.get('$skiptoken');
  const groups: LiveGroup[] = [];
  for (const g of env.state.groups.values()) if (g.userIds.has(user.id)) groups.push(g);
  const byId = new Map(groups.map((g) => [g.id, g] as const));
  const sorted = [...byId.keys()].sort();
  const page = keysetPage(sorted, token === undefined ? null : decodeSkipToken(token), top);
  const projection = projectionKey('group', true, select);
  const values = page.ids.map((id) =>
    env.json.get(projection, id, () =>
      JSON.stringify(project(env.groupSchema, byId.get(id) as LiveGroup, select, true)),
    ),
  );
  return jsonReply(
    collectionBody(metadataContext(env, 'directoryObjects'), values, {
      ...(count ? { count: sorted.length } : {}),
      ...(page.after !== null ? { nextLink: nextLink(env, call, encodeSkipToken(page.after)) } : {}),
    }),
  );
}
