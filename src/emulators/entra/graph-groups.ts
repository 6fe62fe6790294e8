import type { LiveGroup } from '../core/tenant-state';
import { jsonReply, type GraphCall, type GraphEnv } from './context';
import { graphErrors } from './errors';
import type { FilterSpec } from './filter';
import type { Reply } from './http';
import { project } from './mapping';
import { metadataContext, parseSelect, rejectUnsupported } from './odata';
import { PERMISSIONS, demand } from './permissions';
import { countCollection, listCollection, type CollectionSource } from './listing';

/** /groups, /groups/$count, /groups/{id} (learn.microsoft.com/graph/api/group-list, group-get). */

export const GROUP_FILTERS: FilterSpec = {
  resource: 'Group',
  standard: new Set([
    'id',
    'displayName',
    'mail',
    'mailEnabled',
    'mailNickname',
    'securityEnabled',
    'groupTypes',
    'proxyAddresses',
    'onPremisesSyncEnabled',
    'isAssignableToRole',
  ]),
  advanced: new Set([
    'description',
    'createdDateTime',
    'onPremisesSamAccountName',
    'visibility',
    'membershipRuleProcessingState',
  ]),
};

export function groupSource(env: GraphEnv): CollectionSource<LiveGroup> {
  return {
    name: 'groups',
    schema: env.groupSchema,
    filters: GROUP_FILTERS,
    sortedIds: () => env.index.sortedGroupIds(),
    get: (id) => env.state.groups.get(id),
  };
}

export function listGroups(call: GraphCall, env: GraphEnv): Reply {
  demand(call.granted, PERMISSIONS.readGroups);
  return listCollection(call, env, groupSource(env));
}

export function countGroups(call: GraphCall, env: GraphEnv): Reply {
  demand(call.granted, PERMISSIONS.readGroups);
  return countCollection(call, env, groupSource(env));
}

export function getGroup(call: GraphCall, env: GraphEnv, id: string): Reply {
  demand(call.granted, PERMISSIONS.readGroups);
  rejectUnsupported(call, ['$select']);
  const select = parseSelect(call.query.get('$select'), [env.groupSchema]);
  const group = env.state.groups.get(id);
  if (!group) throw graphErrors.notFound(id);
  return jsonReply(
    JSON.stringify({
      '@odata.context': metadataContext(env, 'groups/$entity'),
      ...project(env.groupSchema, group, select, false),
    }),
  );
}
